// `run --send` that survives being stopped: SIGKILL at seeded moments then `--resume` (lost 0,
// duplicates only for events in flight, counted), SIGTERM drains (exit 3) and a second signal exits
// at once, outages (black hole, refused) end at --max-outage (exit 4), a 401 ends the run with one
// line (exit 5), and a resume with another file is refused. The fake Track API runs in this process;
// the CLI is a child process; every server is on 127.0.0.1 and every run is bounded.

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/runtime/clock.js';
import { REJECT, startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { BIN, ndjson, ROOT, tempDir } from './helpers.js';

const SITE = 'resume-site';
const KEY = 'resume-key-0003';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string> = {}): Child {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CUSTOMERIO_')) e[k] = v;
  Object.assign(e, { NO_COLOR: '1', CUSTOMERIO_SITE_ID: SITE, CUSTOMERIO_API_KEY: KEY }, env);
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
  cleanups.push(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return { proc, stdout: () => out, stderr: () => err, done };
}

async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2)); // not a busy loop: the child needs the CPU
  }
}

/** N track events (one body each, `attributes.seq`), some rejected by the API (dead letters), a few blank and bad lines. */
function writeEvents(file: string, n: number): { seqs: number[] } {
  const lines: string[] = [];
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 500 === 7) lines.push('');
    if (i % 700 === 11) lines.push('{not json');
    const properties: Record<string, unknown> = { seq: i };
    if (i % 97 === 5) properties[REJECT] = true;
    lines.push(JSON.stringify({ type: 'track', event: 'Clicked', userId: `u${i % 131}`, messageId: `m-${i}`, properties }));
    seqs.push(i);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { seqs };
}

function config(dir: string, delivery: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'destination.json');
  writeFileSync(file, JSON.stringify({ settings: { siteId: 'x', apiKey: 'y' }, presets: 'quick', delivery: { retry: { baseDelayMs: 5, maxDelayMs: 50 }, ...delivery } }));
  return file;
}

function seqsAccepted(server: FakeTrackServer): Map<number, number> {
  const m = new Map<number, number>();
  for (const a of server.accepted) {
    const seq = (a.entity as { attributes?: { seq?: number } }).attributes?.seq;
    if (typeof seq === 'number') m.set(seq, (m.get(seq) ?? 0) + 1);
  }
  return m;
}

function deadSeqs(file: string): Map<number, number> {
  const m = new Map<number, number>();
  if (!existsSync(file)) return m;
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (l.trim() === '') continue;
    const d = JSON.parse(l) as { request?: { body?: { attributes?: { seq?: number } } } | null };
    const seq = d.request?.body?.attributes?.seq;
    if (typeof seq === 'number') m.set(seq, (m.get(seq) ?? 0) + 1);
  }
  return m;
}

type Report = {
  events: { total: number; delivered: number; failed: number; unsent: number };
  items: { ambiguous: number; unsent: number };
  stopReason?: string;
  resume?: { done: number; resent: number; ambiguous: number };
};
const reportOf = (stdout: string): Report => (ndjson(stdout).at(-1) as { report: Report }).report;

async function blackHole(): Promise<string> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => srv.close(() => r()));
  });
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

async function fakeServer(opts: Partial<Parameters<typeof startFakeTrackServer>[0]> = {}): Promise<FakeTrackServer> {
  const s = await startFakeTrackServer({ siteId: SITE, apiKey: KEY, ...opts });
  cleanups.push(() => s.close());
  return s;
}

describe('kill -9 at seeded moments, then --resume', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every body delivered or dead-lettered, lost 0, duplicates only for events in flight`, { timeout: 120_000 }, async () => {
      const N = 3_000;
      const dir = tempDir();
      const events = path.join(dir, 'events.ndjson');
      const dead = path.join(dir, 'dead.ndjson');
      const { seqs } = writeEvents(events, N);
      const cfg = config(dir, { concurrency: 4 });
      // some faults, so retries and ambiguous attempts are in flight when the kill comes
      const server = await fakeServer({ seed, rates: { '503': 0.05, 'drop-after': 0.03 }, retryAfter: '0' });
      const killAt = 200 + Math.floor(seededRandom(seed)() * (N - 800));
      const first = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--dead-letter', dead]);
      await waitFor(() => server.acceptedCount >= killAt || first.proc.exitCode !== null, 'the kill moment');
      first.proc.kill('SIGKILL');
      const r1 = await first.done;
      expect(r1.signal).toBe('SIGKILL');
      expect(existsSync(`${dead}.state`)).toBe(true);

      const second = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--dead-letter', dead, '--resume']);
      const r2 = await second.done;
      expect(second.stderr()).not.toContain('internal error');
      expect(r2.code).toBe(1); // the rejected events failed (dead letters), nothing else
      const report = reportOf(second.stdout());
      expect(report.events.unsent).toBe(0);
      // every event line is either finished by the first run (skipped now) or handled by this one
      const badLines = Array.from({ length: N }, (_, i) => i).filter((i) => i % 700 === 11).length;
      expect(report.resume!.done + report.events.total).toBe(N + badLines);

      const accepted = seqsAccepted(server);
      const deadLettered = deadSeqs(dead);
      const lost = seqs.filter((s) => !accepted.has(s) && !deadLettered.has(s));
      expect(lost).toEqual([]);
      // a body twice (accepted twice, or accepted and dead-lettered) only for events possibly in flight
      // at the kill or cut off by a dropped connection (the fake server's drop-after)
      const twice = seqs.filter((s) => (accepted.get(s) ?? 0) + (deadLettered.get(s) ?? 0) > 1).length;
      const dropAfterItems = server.requests.filter((r) => r.status === 'dropped' && r.fault === 'drop-after').reduce((n, r) => n + r.items, 0);
      expect(twice).toBeLessThanOrEqual(report.resume!.ambiguous + dropAfterItems);
      expect(report.resume!.resent).toBeLessThanOrEqual(N);
      // the finished run removed its state: nothing more to resume
      expect(existsSync(`${dead}.state`)).toBe(false);
    });
  }
});

describe('signals', () => {
  it('SIGTERM: stops reading, drains, prints the report, exits 3; --resume finishes, the in-flight events counted ambiguous', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const events = path.join(dir, 'events.ndjson');
    const { seqs } = writeEvents(events, 1_000);
    const hole = await blackHole();
    const cfg = config(dir, { timeoutMs: 60_000, concurrency: 2 });
    const child = start(['run', events, '--config', cfg, '--send', '--endpoint', hole, '--drain-ms', '200']);
    await waitFor(() => existsSync(`${events}.state`), 'the state directory');
    await new Promise((r) => setTimeout(r, 300)); // requests are on the wire (the black hole never answers)
    child.proc.kill('SIGTERM');
    const r = await child.done;
    expect(r.code).toBe(3);
    const report = reportOf(child.stdout());
    expect(report.stopReason).toBe('signal');
    expect(report.events.failed).toBe(report.events.total - report.events.unsent - report.events.delivered);
    expect(report.events.unsent).toBeGreaterThan(0);
    // no per-event "not sent" lines: only the report (and the bad input lines read)
    expect(ndjson(child.stdout()).filter((row) => 'error' in row && !/invalid JSON/.test(JSON.stringify(row)))).toHaveLength(0);
    expect(child.stderr()).toMatch(/SIGTERM: stopping/);
    expect(child.stderr()).toMatch(/stopped by a signal after draining; \d+ events? read and not sent(, the rest of the input not read)?, recorded in .*events\.ndjson\.state: run again with --resume/);

    const server = await fakeServer();
    const again = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--resume']);
    const r2 = await again.done;
    expect(r2.code).toBe(1);
    const rep2 = reportOf(again.stdout());
    // the two batches cut off on the wire are the only ambiguous ones
    expect(rep2.resume!.ambiguous).toBeGreaterThan(0);
    expect(rep2.resume!.ambiguous).toBeLessThanOrEqual(2 * 50);
    const accepted = seqsAccepted(server);
    const rejected = seqs.filter((s) => s % 97 === 5);
    expect(seqs.filter((s) => !accepted.has(s) && !rejected.includes(s))).toEqual([]);
  });

  it('a second signal exits at once (143), the state intact: --resume finishes the job', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const events = path.join(dir, 'events.ndjson');
    const { seqs } = writeEvents(events, 600);
    const hole = await blackHole();
    const cfg = config(dir, { timeoutMs: 60_000 });
    const child = start(['run', events, '--config', cfg, '--send', '--endpoint', hole, '--drain-ms', '60000']);
    await waitFor(() => existsSync(`${events}.state`), 'the state directory');
    await new Promise((r) => setTimeout(r, 300));
    child.proc.kill('SIGTERM');
    await waitFor(() => /SIGTERM: stopping/.test(child.stderr()), 'the first signal to be seen');
    child.proc.kill('SIGTERM');
    const r = await child.done;
    expect(r.code).toBe(143);
    const server = await fakeServer();
    const again = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--resume']);
    expect((await again.done).code).toBe(1);
    const accepted = seqsAccepted(server);
    expect(seqs.filter((s) => !accepted.has(s) && s % 97 !== 5)).toEqual([]);
  });
});

describe('outages and 401 end the run with one line', () => {
  for (const kind of ['black hole', 'connection refused'] as const) {
    it(`${kind}: ends at --max-outage (exit 4), everything unsent resumable, no dead letters`, { timeout: 60_000 }, async () => {
      const dir = tempDir();
      const events = path.join(dir, 'events.ndjson');
      const dead = path.join(dir, 'dead.ndjson');
      writeEvents(events, 2_000);
      let url: string;
      if (kind === 'black hole') url = await blackHole();
      else {
        const srv = createServer();
        await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
        url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
        await new Promise<void>((r) => srv.close(() => r()));
      }
      const cfg = config(dir, { timeoutMs: 200 });
      const child = start(['run', events, '--config', cfg, '--send', '--endpoint', url, '--dead-letter', dead, '--max-outage', '1s']);
      const r = await child.done;
      expect(r.code).toBe(4);
      const report = reportOf(child.stdout());
      expect(report.stopReason).toBe('outage');
      expect(report.events.delivered).toBe(0);
      const stderr = child.stderr().trim().split('\n');
      expect(stderr.filter((l) => l.startsWith('stopped:'))).toHaveLength(1);
      expect(child.stderr()).toMatch(kind === 'black hole' ? /unreachable or failing for 1 s \(last: timeout: no response within 200 ms\)/ : /unreachable or failing for 1 s \(last: network: /);
      // only the unreadable input lines are dead letters
      const letters = existsSync(dead) ? readFileSync(dead, 'utf8').split('\n').filter(Boolean) : [];
      expect(letters.every((l) => /invalid JSON/.test(l))).toBe(true);
    });
  }

  it('401: one line naming the status (exit 5), no per-event lines, no dead letters; --resume with the right key finishes', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const events = path.join(dir, 'events.ndjson');
    const dead = path.join(dir, 'dead.ndjson');
    const { seqs } = writeEvents(events, 2_000);
    const server = await fakeServer();
    const cfg = config(dir);
    const child = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--dead-letter', dead], { CUSTOMERIO_API_KEY: 'wrong-key' });
    const r = await child.done;
    expect(r.code).toBe(5);
    const rows = ndjson(child.stdout());
    expect(rows.filter((row) => 'error' in row && !/invalid JSON/.test(JSON.stringify(row)))).toHaveLength(0);
    expect(child.stderr()).toMatch(/stopped: the Track API rejected the credentials \(HTTP 401\)/);
    expect(server.requests.length).toBeLessThanOrEqual(8);
    const again = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--dead-letter', dead, '--resume']);
    expect((await again.done).code).toBe(1);
    const accepted = seqsAccepted(server);
    expect(seqs.filter((s) => !accepted.has(s) && s % 97 !== 5)).toEqual([]);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true); // nothing was accepted before the 401: no duplicates
  });
});

describe('the state is checked', () => {
  it('a resume with a changed file is refused, and a fresh run over an unfinished state too', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const events = path.join(dir, 'events.ndjson');
    writeEvents(events, 300);
    const server = await fakeServer();
    const cfg = config(dir);
    const first = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url], { CUSTOMERIO_API_KEY: 'wrong-key' });
    expect((await first.done).code).toBe(5);
    const fresh = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url]);
    expect((await fresh.done).code).toBe(2);
    expect(fresh.stderr()).toContain('holds an unfinished run');
    expect(fresh.stderr()).toContain('--resume');
    appendFileSync(events, '{"type":"track","event":"x","userId":"u"}\n');
    const changed = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--resume']);
    expect((await changed.done).code).toBe(2);
    expect(changed.stderr()).toMatch(/records a different run: .*events\.ndjson has changed since/);
    const nothing = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--resume', '--state', path.join(dir, 'elsewhere')]);
    expect((await nothing.done).code).toBe(2);
    expect(nothing.stderr()).toContain('nothing to resume');
  });
});

describe('the dead-letter file', () => {
  it('a write error (--dead-letter /dev/full) ends the run cleanly: report printed, the events without a record named and left for --resume', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const events = path.join(dir, 'events.ndjson');
    const { seqs } = writeEvents(events, 1_500);
    const server = await fakeServer();
    const cfg = config(dir);
    const state = path.join(dir, 'state');
    const child = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--dead-letter', '/dev/full', '--state', state]);
    const r = await child.done;
    expect(r.code).toBe(1);
    expect(child.stderr()).not.toContain('internal error');
    expect(child.stderr()).toMatch(/stopped: cannot write the dead-letter file \/dev\/full \(ENOSPC\); \d+ events? ha(s|ve) no record \(lines \d+/);
    const rows = ndjson(child.stdout());
    const report = (rows.at(-1) as { report: Report & { unrecorded: number[] } }).report;
    expect(report.unrecorded.length).toBeGreaterThan(0);
    // the error lines still reached stdout
    expect(rows.filter((row) => 'error' in row).length).toBeGreaterThan(0);

    // with a writable file, --resume records what had no record and sends what was left; nothing is lost
    const dead = path.join(dir, 'dead.ndjson');
    const again = start(['run', events, '--config', cfg, '--send', '--endpoint', server.url, '--dead-letter', dead, '--state', state, '--resume']);
    expect((await again.done).code).toBe(1);
    const accepted = seqsAccepted(server);
    const deadLettered = deadSeqs(dead);
    expect(seqs.filter((s) => !accepted.has(s) && !deadLettered.has(s))).toEqual([]);
    // every event whose dead letter was lost has one now: a rejected body by its seq, an unreadable line by its text
    const inputLines = readFileSync(events, 'utf8').split('\n');
    const deadText = readFileSync(dead, 'utf8');
    for (const line of report.unrecorded) {
      const text = inputLines[line - 1]!;
      if (text.startsWith('{not')) expect(deadText).toContain(JSON.stringify(text));
      else expect(deadLettered.has((JSON.parse(text) as { properties: { seq: number } }).properties.seq)).toBe(true);
    }
  });

  it('--replay of a file with a damaged last line sends the good entries, names the bad line, and prints the report (exit 1)', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const dead = path.join(dir, 'dead.ndjson');
    const down = await fakeServer();
    const cfg = config(dir);
    // 40 dead letters: unreadable input lines (a dead letter each, with the line as the event)
    const bad = Array.from({ length: 40 }, (_, i) => `{broken ${i}`).join('\n');
    writeFileSync(path.join(dir, 'bad.ndjson'), bad);
    const first = start(['run', path.join(dir, 'bad.ndjson'), '--config', cfg, '--send', '--endpoint', down.url, '--dead-letter', dead]);
    expect((await first.done).code).toBe(1);
    const text = readFileSync(dead, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(40);
    writeFileSync(dead, `${lines.join('\n')}\n${lines[0]!.slice(0, 30)}`); // a crash cut the last line
    const replay = start(['run', dead, '--config', cfg, '--send', '--replay', '--endpoint', down.url, '--dead-letter', path.join(dir, 'dead2.ndjson')]);
    const r = await replay.done;
    expect(r.code).toBe(1);
    const rows = ndjson(replay.stdout());
    const report = (rows.at(-1) as { report: Report & { badLines: number[] } }).report;
    expect(report.badLines).toEqual([41]);
    expect(report.events.total).toBe(40);
    expect(replay.stderr()).toMatch(/--replay: 1 damaged line skipped \(line 41\); everything else was replayed/);
  });
});
