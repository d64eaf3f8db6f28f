// Secrets (issue 7): the site ID and API key never appear in errors, logs, dead letters, reports,
// thrown messages or CLI/REPL output. Every output of process, deliver (against the fake Track API,
// with faults and with refused credentials), config errors and the CLI binary is collected and searched.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadLetterFile, createDestination, deliver, deadLetterLine } from './support/secrets-api.js';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { OutputLog, capturing } from './support/capture.js';
import { API_KEY, BASIC, SECRET_FORMS, SITE_ID, hostileDestinations } from './support/destinations.js';
import { HOSTILE_EVENTS } from './support/hostile.js';
import { countCases, tallyReport } from './support/fuzz.js';

afterAll(() => console.log(tallyReport('secrets')));

const log = new OutputLog();
const servers: FakeTrackServer[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'cio-secrets-'));
const root = new URL('../../', import.meta.url).pathname;
const CLI = join(root, 'dist/cli/cio-actions.js'); // package.json `bin`

/** Plausible events (no secrets in them: any appearance in an output is a leak). */
const events = (n: number): unknown[] =>
  Array.from({ length: n }, (_, i) =>
    i % 3 === 0
      ? { type: 'identify', userId: `u${i % 7}`, messageId: `m${i}`, traits: { email: `u${i}@x.io`, plan: 'pro', __poison: i % 11 === 0 ? 1 : undefined, __reject: i % 5 === 0 ? 1 : undefined } }
      : { type: 'track', event: i % 4 === 0 ? '' : 'Order Completed', userId: `u${i % 7}`, messageId: `m${i}`, properties: { revenue: i, big: i % 13 === 0 ? 'x'.repeat(40_000) : 'ok' } },
  );

afterAll(async () => {
  for (const s of servers) await s.close();
});

/** The hostile events small enough to inspect in full (the megabyte ones are covered by hostile-events.test.ts). */
const SMALL_HOSTILE = HOSTILE_EVENTS.filter(([name]) => !/MB|000/.test(name));

describe('library outputs', () => {
  it('process() results on hostile events never contain the credentials', async () => {
    for (const [profile, d] of hostileDestinations()) {
      await capturing(log, `process ${profile}`, () => {
        for (const [name, make] of SMALL_HOSTILE) log.add(`process ${profile} ${name}`, d.process(make()));
        for (const e of events(30)) log.add(`processDetailed ${profile}`, d.processDetailed(e));
      });
      log.add(`destination object ${profile}`, d);
    }
    countCases('secrets.process', 2 * (SMALL_HOSTILE.length + 30));
  });

  it('deliver(): faults, refused batches, dead letters (sink and file), outcomes and report', async () => {
    const server = await startFakeTrackServer({ siteId: SITE_ID, apiKey: API_KEY, seed: 3, script: ['500', '429', 'drop-before', 'partial', 'drop-after'], rates: { '500': 0.1, partial: 0.2 }, retryAfter: '0' });
    servers.push(server);
    const d = createDestination({ settings: { siteId: SITE_ID, apiKey: API_KEY }, presets: 'all', endpoint: server.url });
    const file = createDeadLetterFile(join(tmp, 'dead.ndjson'));
    const report = await capturing(log, 'deliver', () =>
      d.deliver(events(120), {
        seed: 1,
        timeoutMs: 2_000,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
        onDeadLetter: async (letter) => {
          log.add('dead letter', deadLetterLine(letter));
          await file.write(letter);
        },
        onOutcome: (o) => log.add('outcome', o),
      }),
    );
    await file.close();
    log.add('report', report);
    log.add('dead-letter file', readFileSync(join(tmp, 'dead.ndjson'), 'utf8'));
    expect(report.deadLetters).toBeGreaterThan(0);
    // the credentials did reach the server, in the Authorization header and only there
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.status !== 'dropped').every((r) => r.authorized)).toBe(true);
    countCases('secrets.deliver', 120);
  });

  it('deliver() with refused credentials (401) and with an unreachable endpoint', async () => {
    const server = await startFakeTrackServer({ siteId: 'other-site', apiKey: 'other-key' });
    servers.push(server);
    for (const [label, endpoint] of [['401', server.url], ['unreachable', 'http://127.0.0.1:9']] as const) {
      const d = createDestination({ settings: { siteId: SITE_ID, apiKey: API_KEY }, endpoint });
      try {
        const report = await capturing(log, `deliver ${label}`, () =>
          d.deliver(events(10), { timeoutMs: 500, maxOutageMs: 1_000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, onDeadLetter: (l) => log.add(`dead letter ${label}`, deadLetterLine(l)), onOutcome: (o) => log.add('outcome', o) }),
        );
        log.add(`report ${label}`, report);
      } catch (err) {
        log.addError(`deliver ${label} threw`, err);
      }
    }
    // a failing dead-letter sink makes deliver throw (DeliveryError): its message and report too
    const d = createDestination({ settings: { siteId: SITE_ID, apiKey: API_KEY }, endpoint: server.url });
    await expect(
      capturing(log, 'deliver failing sink', () =>
        d.deliver(events(5), { retry: { maxAttempts: 1 }, onDeadLetter: () => { throw new Error(`sink down`); } }).catch((err: unknown) => {
          log.addError('deliver sink threw', err);
          throw err;
        }),
      ),
    ).rejects.toThrow();
    // the low-level deliver with a source that throws
    await capturing(log, 'deliver throwing source', async () => {
      try {
        log.add('report throwing source', await deliver({ processDetailed: () => { throw new Error('source failed'); } }, [{}], { endpoint: server.url, retry: { maxAttempts: 1 } }, { siteId: SITE_ID, apiKey: API_KEY, region: 'US' }));
      } catch (err) {
        log.addError('deliver throwing source threw', err);
      }
    });
  });

  it('configuration errors', async () => {
    const bad: unknown[] = [
      { settings: { siteId: SITE_ID, apiKey: API_KEY, region: 'MARS' } },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, profile: 'lenient' },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, presets: 'most' },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, endpoint: `ftp://${SITE_ID}:${API_KEY}@example.com` },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, endpoint: 'not a url' },
      { settings: { siteId: SITE_ID, apiKey: '' } },
      { settings: { siteId: '', apiKey: API_KEY } },
      { settings: { siteId: `${SITE_ID}\n`, apiKey: API_KEY } },
      { settings: { siteId: SITE_ID, apiKey: 42 } },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, subscriptions: Array.from({ length: 50 }, () => 'target trackEvent') },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, subscriptions: ['target nope\nid = userId'] },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, subscriptions: [42] },
      { settings: { siteId: SITE_ID, apiKey: API_KEY }, now: 'yesterday' },
      null,
    ];
    let thrown = 0;
    await capturing(log, 'config', () => {
      for (const config of bad) {
        try {
          createDestination(config as Parameters<typeof createDestination>[0]);
        } catch (err) {
          thrown++;
          log.addError('config error', err);
        }
      }
    });
    expect(thrown).toBeGreaterThanOrEqual(bad.length - 2);
    countCases('secrets.config', bad.length);
  });
});

/** Runs the CLI binary with the credentials in its environment; records stdout and stderr. */
function cli(args: string[], stdin = '', env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', CUSTOMERIO_SITE_ID: SITE_ID, CUSTOMERIO_API_KEY: API_KEY, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      log.add(`cli ${args.join(' ')} stdout`, out);
      log.add(`cli ${args.join(' ')} stderr`, err);
      resolve(code ?? -1);
    });
    child.stdin.end(stdin);
  });
}

describe('the CLI binary', () => {
  beforeAll(() => {
    // `npm test` builds first (pretest); a missing build is a setup error, not a pass
    expect(existsSync(CLI), `${CLI} missing: run npm run build`).toBe(true);
  });

  it('run (dry and --send with faults, 401, unreachable), a configuration error, repl', { timeout: 120_000 }, async () => {
    const server = await startFakeTrackServer({ siteId: SITE_ID, apiKey: API_KEY, seed: 5, rates: { '500': 0.2, partial: 0.2 }, retryAfter: '0' });
    const refusing = await startFakeTrackServer({ siteId: 'x-site', apiKey: 'x-key' });
    servers.push(server, refusing);
    const eventsFile = join(tmp, 'events.ndjson');
    writeFileSync(eventsFile, `${events(40).map((e) => JSON.stringify(e)).join('\n')}\n{not json\n${JSON.stringify(HOSTILE_EVENTS.find(([n]) => n === "prototype keys #0")?.[1]())}\n`);
    const dead = join(tmp, 'cli-dead.ndjson');
    const badConfig = join(tmp, 'bad.json');
    writeFileSync(badConfig, JSON.stringify({ settings: { siteId: SITE_ID, apiKey: API_KEY, region: 'MARS' }, profile: 'nope' }));
    const codes = [
      await cli(['run', eventsFile]),
      await cli(['run', eventsFile, '--presets', 'all', '--send', '--endpoint', server.url, '--dead-letter', dead]),
      await cli(['run', eventsFile, '--send', '--endpoint', refusing.url]),
      await cli(['run', '-', '--send', '--endpoint', 'http://127.0.0.1:9', '--max-outage', '2s'], readFileSync(join(root, 'examples/bad-events.ndjson'), 'utf8')),
      await cli(['run', eventsFile, '--config', badConfig], '', { CUSTOMERIO_REGION: 'MARS' }),
      await cli(['repl'], ':help\n:event {"type":"track","userId":"u"}\nuserId\ntype = "track"\n:fields trackEvent\nenv\nprocess\n:quit\n'),
    ];
    if (existsSync(dead)) log.add('cli dead-letter file', readFileSync(dead, 'utf8'));
    expect(codes[0]).toBe(1); // the bad line fails the dry run
    expect(codes[4]).toBe(2); // configuration error
    expect(server.requests.some((r) => r.authorized)).toBe(true);
    countCases('secrets.cli', codes.length);
  });
});

describe('the search', () => {
  it('finds none of the credential spellings in any collected output', () => {
    // sanity: the log is not empty and the search works on a planted value
    expect(log.size).toBeGreaterThan(100_000);
    const probe = new OutputLog();
    probe.add('probe', { deep: [`x${BASIC}y`] });
    expect(probe.find(SECRET_FORMS)).toHaveLength(1);
    expect(log.find(SECRET_FORMS)).toEqual([]);
  });
});
