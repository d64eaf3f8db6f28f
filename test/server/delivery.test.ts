// The delivery loop (src/server/delivery.ts) and the `serve` command's lifecycle: a 401 keeps the
// events queued and /ready says why, then delivery resumes; dead letters land in
// DIR/dead-letters.ndjson and `run FILE --send --replay` sends them again; SIGTERM drains and exits
// 0, and what was left is delivered after the next start.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../cli/helpers.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { API_KEY, ROOT, SITE_ID, WRITE_KEY, basic, post, startStack, until, type Stack } from './helpers.js';

// child processes and thousands of events on a shared 2-core machine: waits are on conditions, bounded here
vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 });

let stack: Stack | undefined;
const fakes: FakeTrackServer[] = [];
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  for (const f of fakes.splice(0)) await f.close();
});

const batch = (from: number, n: number, extra: Record<string, unknown> = {}) => ({
  batch: Array.from({ length: n }, (_, k) => ({ type: 'track', userId: `u${(from + k) % 7}`, event: 'Order', messageId: `d-${from + k}`, properties: { i: from + k, ...extra } })),
});
const ids = (f: FakeTrackServer) => new Set(f.accepted.map((a) => (a.entity as { attributes: { i: number } }).attributes.i));

describe('delivery loop', () => {
  it('a 401 from Customer.io keeps the events queued (no dead letters), /ready says why, and sending resumes', async () => {
    stack = await startStack({ fake: { script: ['401', '401'] } });
    expect((await post(`${stack.url}/v1/batch`, batch(0, 30), { authorization: basic() })).status).toBe(200);
    await until(async () => (await fetch(`${stack!.url}/ready`)).status === 503, 30_000, '/ready to report the 401');
    const ready = (await (await fetch(`${stack.url}/ready`)).json()) as { reasons: string[] };
    expect(ready.reasons.join(' ')).toMatch(/401/);
    await until(() => ids(stack!.fake!).size === 30, 60_000, 'delivery after the key works again');
    await until(() => stack!.queue.stats().depth === 0, 30_000, 'the journal to empty');
    expect(readFileSync(join(stack.dir, 'dead-letters.ndjson'), 'utf8')).toBe('');
    expect((await fetch(`${stack.url}/ready`)).status).toBe(200);
  });

  it('dead letters go to DIR/dead-letters.ndjson and `run FILE --send --replay` sends them again', async () => {
    stack = await startStack({ fake: { rates: { partial: 0.5 }, seed: 3 } });
    for (let i = 0; i < 200; i += 50) expect((await post(`${stack.url}/v1/batch`, batch(i, 50), { authorization: basic() })).status).toBe(200);
    const file = join(stack.dir, 'dead-letters.ndjson');
    await until(() => stack!.queue.stats().depth === 0, 60_000, 'everything finished');
    await stack.delivery!.stop(5_000); // dead letters flushed
    const letters = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const firstRun = ids(stack.fake!);
    expect(letters.length).toBeGreaterThan(0);
    expect(firstRun.size + letters.length).toBe(200);
    expect(readFileSync(file, 'utf8')).not.toContain(WRITE_KEY);
    const second = await startFakeTrackServer({ siteId: SITE_ID, apiKey: API_KEY });
    fakes.push(second);
    const res = await cli(['run', file, '--send', '--replay', '--endpoint', second.url], { env: { CUSTOMERIO_SITE_ID: SITE_ID, CUSTOMERIO_API_KEY: API_KEY } });
    expect(res.code).toBe(0);
    const replayed = ids(second);
    expect(replayed.size).toBe(letters.length);
    for (const i of replayed) expect(firstRun.has(i)).toBe(false);
  });
});

describe('cio-actions serve', () => {
  it('SIGTERM: stops accepting, drains, exits 0; what is left is delivered after the next start', async () => {
    const fake = await startFakeTrackServer({ siteId: SITE_ID, apiKey: API_KEY, slowMs: 50 });
    fakes.push(fake);
    const dir = mkdtempSync(join(tmpdir(), 'cio-serve-cli-'));
    const config = join(dir, 'destination.json');
    writeFileSync(config, JSON.stringify({ settings: { siteId: SITE_ID, apiKey: API_KEY }, delivery: { flushMs: 20 } }));
    const start = async () => {
      const proc = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'serve', '--config', config, '--port', '0', '--data-dir', join(dir, 'data'), '--endpoint', fake.url], {
        env: { ...process.env, CIO_ACTIONS_WRITE_KEYS: `other-key,${WRITE_KEY}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stderr: string[] = [];
      createInterface({ input: proc.stderr! }).on('line', (l) => stderr.push(l));
      const exited = new Promise<number | string>((r) => proc.on('exit', (c, sig) => r(c ?? `signal ${sig}: ${stderr.slice(-5).join(' | ')}`)));
      const line = await new Promise<string>((r) => createInterface({ input: proc.stdout! }).once('line', r));
      return { proc, exited, stderr, url: (JSON.parse(line) as { listening: string }).listening };
    };
    const first = await start();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (let i = 0; i < 2_000; i += 100) expect((await post(`${first.url}/v1/batch`, batch(i, 100), { authorization: basic() })).status).toBe(200);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const logs = first.stderr.map((l) => JSON.parse(l) as { msg: string });
    expect(logs.map((l) => l.msg)).toContain('stopped');
    expect(first.stderr.join('\n')).not.toContain(WRITE_KEY);
    expect(first.stderr.join('\n')).not.toContain(API_KEY);
    const second = await start();
    await until(() => ids(fake).size === 2_000, 60_000, 'every event delivered across the restart');
    second.proc.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('a signal the instant after {"listening"} is a graceful stop (exit 0, "stopped" logged), never the default kill', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-serve-sig-'));
    const config = join(dir, 'destination.json');
    writeFileSync(config, JSON.stringify({ settings: { siteId: SITE_ID, apiKey: API_KEY } }));
    // before the listeners were installed ahead of the announcement, 8 of 10 such starts died of the signal
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM', 'SIGINT'] as const) {
      const proc = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'serve', '--config', config, '--port', '0', '--data-dir', join(dir, 'data'), '--endpoint', 'http://127.0.0.1:9'], {
        env: { ...process.env, CIO_ACTIONS_WRITE_KEYS: WRITE_KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stderr: string[] = [];
      createInterface({ input: proc.stderr! }).on('line', (l) => stderr.push(l));
      const exited = new Promise<string>((r) => proc.on('exit', (code, sig) => r(code === null ? `killed by ${sig}` : `exit ${code}`)));
      await new Promise<string>((r) => createInterface({ input: proc.stdout! }).once('line', r));
      proc.kill(signal);
      expect(await exited).toBe('exit 0');
      expect(stderr.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('stopped');
    }
  });

  it('an unknown --queue scheme is one clear error, exit 2, never a silent fallback to the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-serve-'));
    const res = await cli(['serve', '--port', '0', '--data-dir', dir, '--queue', 'kafka://127.0.0.1:9092'], { env: { CUSTOMERIO_SITE_ID: SITE_ID, CUSTOMERIO_API_KEY: API_KEY, CIO_ACTIONS_WRITE_KEYS: WRITE_KEY } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--queue kafka:\/\/127\.0\.0\.1:9092: no queue backend for kafka:/);
    expect(res.stdout).toBe('');
  });

  it('refuses to start without a write key, naming where to set it', async () => {
    const res = await cli(['serve', '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'cio-serve-'))], { env: { CUSTOMERIO_SITE_ID: SITE_ID, CUSTOMERIO_API_KEY: API_KEY } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/server\.writeKeys.*CIO_ACTIONS_WRITE_KEYS/);
  });
});
