// `cio-actions run` through the built binary: the NDJSON shape of a dry run, bad lines in the
// middle, stdin, configuration mistakes (exit 2, JSON paths, no secrets), and `--send` to a fake API.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { cli, EXAMPLES, ndjson, tempDir } from './helpers.js';

const CONFIG = path.join(EXAMPLES, 'destination.json');
const EVENTS = path.join(EXAMPLES, 'events.ndjson');
const allLines = readFileSync(EVENTS, 'utf8').split('\n');
const eventLines = allLines.filter((l) => l.trim() !== '');

/** Every output line is a request line or an error line, with the documented keys only. */
function expectShape(rows: Array<Record<string, unknown>>) {
  for (const row of rows) {
    expect(typeof row.event).toBe('number');
    expect(row).toHaveProperty('messageId');
    if ('request' in row) {
      expect(Object.keys(row).filter((k) => k !== 'warnings').sort()).toEqual(['action', 'event', 'messageId', 'request', 'subscription']);
      const request = row.request as Record<string, unknown>;
      expect(Object.keys(request).sort()).toEqual(['body', 'method', 'url']);
      expect(request.url).toMatch(/^https:\/\/track\.customer\.io\/api\/(v2\/entity|v1\/metrics)$/);
    } else {
      expect(row).toHaveProperty('error');
      const error = row.error as Record<string, unknown>;
      expect(typeof error.message).toBe('string');
      expect(Object.keys(error).every((k) => k === 'message' || k === 'field' || k === 'at')).toBe(true);
    }
  }
}

describe('run: dry run', () => {
  it('turns the example events into one line per request or error, in input order', async () => {
    const r = await cli(['run', EVENTS, '--config', CONFIG]);
    const rows = ndjson(r.stdout);
    expectShape(rows);
    const indices = rows.map((row) => row.event as number);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    // `event` is the 1-based input line number (issue 16.4: changed from the 0-based event index)
    expect(Math.min(...indices)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...indices)).toBeLessThanOrEqual(allLines.length);
    // messageId is the event's own
    for (const row of rows) expect(row.messageId).toBe((JSON.parse(allLines[(row.event as number) - 1] ?? '{}') as { messageId?: string }).messageId);
    // every example event either produces requests or is skipped: no errors
    expect(rows.every((row) => 'request' in row)).toBe(true);
    expect(rows.length).toBeGreaterThan(30);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^${eventLines.length} events: \\d+ requests, 0 failed \\(dry run\\)`, 'm'));
  });

  it('prints one error line per failure of the broken examples and exits 1', async () => {
    const r = await cli(['run', path.join(EXAMPLES, 'bad-events.ndjson'), '--config', CONFIG]);
    const rows = ndjson(r.stdout);
    expectShape(rows);
    expect(rows.map((row) => [row.event, row.subscription ?? null, (row.error as { field?: string }).field ?? null])).toEqual([
      [2, 'Activity', 'name'],
      [3, null, null],
      [4, 'Page views', 'url'],
      [5, 'Orders', 'data.total'],
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('5 events: 0 requests, 4 failed, 1 skipped (dry run)'); // skips counted since issue 16.5
    expect(r.stderr).toContain('1 skipped: no subscription matched (type `identify`) (line 1)');
  });

  it('reports a malformed line in the middle as an error for its line number and goes on', async () => {
    const input = [eventLines[0], '{"type": "track", oops', '', eventLines[2], '[1,2', eventLines[4]].join('\n');
    const r = await cli(['run', '-', '--config', CONFIG], { input });
    const rows = ndjson(r.stdout);
    expectShape(rows);
    const bad = rows.filter((row) => (row.error as { message?: string } | undefined)?.message?.includes('invalid JSON'));
    expect(bad.map((row) => row.event)).toEqual([2, 5]);
    expect((bad[0]?.error as { message: string }).message).toContain('line 2');
    expect((bad[1]?.error as { message: string }).message).toContain('line 5');
    // the events after the bad lines still produce requests (lines 4 and 6: the blank line 3 counts)
    expect(rows.some((row) => row.event === 4 && 'request' in row)).toBe(true);
    expect(rows.some((row) => row.event === 6 && 'request' in row)).toBe(true);
    expect(r.code).toBe(1);
  });

  it('reads stdin when no file is given, handles CRLF, and exits 0 when every event succeeds', async () => {
    const good = [eventLines[0], eventLines[1], eventLines[2]].join('\r\n');
    const r = await cli(['run', '--config', CONFIG], { input: `${good}\r\n` });
    const rows = ndjson(r.stdout);
    expectShape(rows);
    expect(rows.map((row) => row.event)).toEqual([1, 2, 3]);
    expect(rows.every((row) => 'request' in row)).toBe(true);
    expect(r.code).toBe(0);
  });

  it('takes credentials from the environment, and --presets / --profile from the command line', async () => {
    const dir = tempDir({ 'empty.json': '{}' });
    const input = `${JSON.stringify({ type: 'identify', userId: 'u1', messageId: 'm1', traits: { email: 'a@example.com' } })}\n`;
    const r = await cli(['run', '-', '--config', path.join(dir, 'empty.json'), '--presets', 'quick', '--profile', 'segment'], {
      input,
      env: { CUSTOMERIO_SITE_ID: 'env-site', CUSTOMERIO_API_KEY: 'env-key-123', CUSTOMERIO_REGION: 'EU' },
    });
    expect(r.code).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: 1, messageId: 'm1', subscription: 'Create or Update Person', action: 'createUpdatePerson' });
    expect((rows[0]?.request as { url: string }).url).toBe('https://track-eu.customer.io/api/v2/entity');
    expect(r.stdout + r.stderr).not.toContain('env-key-123');
  });
});

describe('run: configuration and usage errors exit 2', () => {
  const secret = 'sk-very-secret-9876';
  it.each([
    ['an unknown key', { settings: { siteId: 'my-site', apiKey: secret }, subscriptons: [] }, ['$.subscriptons: unknown key (did you mean `subscriptions`?)']],
    ['a wrong type', { settings: { siteId: 'my-site', apiKey: secret }, profile: 3 }, ['$.profile: must be one of "strict", "segment", not a number']],
    ['a missing .map file', { settings: { siteId: 'my-site', apiKey: secret }, subscriptions: ['nope.map'] }, ['$.subscriptions[0]: file not found: nope.map']],
    ['a bad delivery option', { settings: { siteId: 'my-site', apiKey: secret }, delivery: { retry: { maxAttemps: 3 } } }, ['$.delivery.retry.maxAttemps: unknown key (did you mean `maxAttempts`?)']],
  ])('%s', async (_name, config, expected) => {
    const dir = tempDir({ 'destination.json': JSON.stringify(config) });
    const r = await cli(['run', EVENTS, '--config', path.join(dir, 'destination.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const text of expected) expect(r.stderr).toContain(text);
    expect(r.stderr).not.toContain(secret);
  });

  it('a missing API key with --send (a dry run needs none: issue 16.6)', async () => {
    const dir = tempDir({ 'destination.json': JSON.stringify({ settings: { siteId: 'my-site' } }) });
    const r = await cli(['run', EVENTS, '--config', path.join(dir, 'destination.json'), '--send', '--endpoint', 'http://127.0.0.1:9']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('$.settings.apiKey: missing');
    expect(r.stderr).toContain('CUSTOMERIO_API_KEY');
  });

  it('renders the diagnostics of a broken .map file named in the config', async () => {
    const dir = tempDir({
      'destination.json': JSON.stringify({ settings: { siteId: 'my-site', apiKey: secret }, subscriptions: ['broken.map'] }),
      'broken.map': 'target createUpdatePerson\nidentifers = userId\n',
    });
    const r = await cli(['run', EVENTS, '--config', path.join(dir, 'destination.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.subscriptions[0]:');
    expect(r.stderr).toMatch(/broken\.map:2:1/);
    expect(r.stderr).toContain('identifers = userId');
    expect(r.stderr).toContain('^');
  });

  it.each([
    [['run', EVENTS, '--config', CONFIG, '--endpoint', 'http://localhost:1'], '--endpoint only applies with --send'],
    [['run', 'missing.ndjson', '--config', CONFIG], 'missing.ndjson: file not found'],
    [['run', EVENTS, '--config', 'nowhere.json'], 'nowhere.json: configuration file not found'],
    [['run', EVENTS, '--profile', 'lenient'], 'must be one of `strict`, `segment`'],
    [['run', EVENTS, '--config', CONFIG, '--send', '--dead-letter', '/nonexistent-dir/dead.ndjson'], 'dead-letter file /nonexistent-dir/dead.ndjson: cannot open (ENOENT)'],
    [['run', EVENTS, '--config', CONFIG, '--send', '--replay', '--dead-letter', '/nonexistent-dir/x.ndjson'], 'cannot open (ENOENT)'],
    [['run', path.join(EXAMPLES, 'dead-letters.ndjson'), '--config', CONFIG, '--send', '--replay'], 'which is also the dead-letter file'],
    [['run', EVENTS, '--config', CONFIG, '--replay'], '--replay only applies with --send'],
  ])('%j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('never shows the credentials in --help or in errors from the environment', async () => {
    const env = { CUSTOMERIO_SITE_ID: 'site-abc-777', CUSTOMERIO_API_KEY: secret, CUSTOMERIO_REGION: 'Mars' };
    const help = await cli(['run', '--help'], { env });
    expect(help.code).toBe(0);
    const bad = await cli(['run', EVENTS], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CUSTOMERIO_REGION: must be "US" or "EU", not "Mars"');
    for (const r of [help, bad]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain('site-abc-777');
    }
  });
});

describe('run --send', () => {
  let server: FakeTrackServer;
  beforeAll(async () => {
    server = await startFakeTrackServer({ siteId: 'send-site', apiKey: 'send-key-0001' });
  });
  afterAll(async () => server.close());

  it('delivers the events, writes failures to the dead-letter file, and prints a final report line', async () => {
    const dir = tempDir();
    const deadLetters = path.join(dir, 'dead.ndjson');
    const input = [eventLines[0], 'not json', eventLines[4], eventLines[6]].join('\n');
    const r = await cli(['run', '-', '--config', CONFIG, '--send', '--endpoint', server.url, '--dead-letter', deadLetters], {
      input,
      env: { CUSTOMERIO_SITE_ID: 'send-site', CUSTOMERIO_API_KEY: 'send-key-0001' },
    });
    const rows = ndjson(r.stdout);
    const report = rows.at(-1) as { report: { events: { total: number; delivered: number; failed: number } } };
    expect(report.report.events.total).toBe(4);
    expect(report.report.events.delivered).toBe(3);
    expect(rows.some((row) => row.event === 2 && 'error' in row)).toBe(true);
    expect(server.accepted.length).toBeGreaterThanOrEqual(3);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain('send-key-0001');
  });
});

describe('run --send --replay', () => {
  it('refuses a file that is not a dead-letter file (exit 2)', async () => {
    const dir = tempDir();
    const r = await cli(['run', EVENTS, '--config', CONFIG, '--send', '--replay', '--endpoint', 'http://127.0.0.1:9', '--dead-letter', path.join(dir, 'dead.ndjson')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--replay:');
  });

  it('sends the dead letters of a failed run again', async () => {
    const server = await startFakeTrackServer({ siteId: 'replay-site', apiKey: 'replay-key-0002', rates: { '503': 1 } });
    try {
      const dir = tempDir({
        'destination.json': JSON.stringify({
          settings: { siteId: 'replay-site', apiKey: 'replay-key-0002' },
          presets: 'quick',
          delivery: { retry: { maxAttempts: 1 }, concurrency: 1 },
        }),
      });
      const config = path.join(dir, 'destination.json');
      const dead = path.join(dir, 'dead.ndjson');
      const input = [eventLines[4], eventLines[6]].join('\n'); // an identify and a track: two requests
      const env = { CUSTOMERIO_SITE_ID: '', CUSTOMERIO_API_KEY: '' };
      const first = await cli(['run', '-', '--config', config, '--send', '--endpoint', server.url, '--dead-letter', dead], { input, env });
      expect(first.code).toBe(1);
      const failed = ndjson(first.stdout).filter((row) => 'error' in row);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect((failed[0]?.error as { status?: number }).status).toBe(503);
      const letters = readFileSync(dead, 'utf8').split('\n').filter(Boolean);
      expect(letters).toHaveLength(failed.length);
      expect(letters.join('')).not.toContain('replay-key-0002');

      server.setRates({}); // the API is back
      const second = await cli(['run', dead, '--config', config, '--send', '--replay', '--endpoint', server.url], { env });
      const report = (ndjson(second.stdout).at(-1) as { report: { events: { total: number; delivered: number } } }).report;
      expect(report.events).toMatchObject({ total: letters.length, delivered: letters.length });
      expect(second.code).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('run: streaming', () => {
  it('prints the requests of the first event before the input ends', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers.js');
    const child = spawn(process.execPath, [BIN, 'run', '-', '--config', CONFIG], { env: { ...process.env, NO_COLOR: '1' } });
    child.stdin.write(`${eventLines[0]}\n`);
    // the output of what has been read so far is flushed before waiting for more input
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no output while the input was still open')), 20_000);
      child.stdout.once('data', (chunk: Buffer) => {
        clearTimeout(timer);
        resolve(chunk.toString());
      });
    });
    expect((JSON.parse(first.split('\n')[0] ?? '') as { event: number }).event).toBe(1);
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
  });

  it('stops quietly when the reader of its output goes away', async () => {
    const big = Array.from({ length: 40 }, () => eventLines.join('\n')).join('\n');
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers.js');
    const child = spawn(process.execPath, [BIN, 'run', '-', '--config', CONFIG], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(big);
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toContain('internal error');
    expect(stderr).toContain('(stopped: the output was closed)');
  });
});
