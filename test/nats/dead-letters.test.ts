// Dead letters on JetStream and the `queue` command: a worker dead-letters a rejected event to its
// local file and to the cio-dead-letters stream; `queue dead-letters` prints the same lines, and
// `run --send --replay` reads them back; `queue init` / `status` report the layout; `serve` with
// an unreachable NATS is exit 1 with one clear line.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REJECT, startFakeTrackServer, type FakeTrackServer } from '../fake-server/server.js';
import { cli, ndjson, tempDir } from '../cli/helpers.js';
import { freePort, startNatsServer, type NatsServer } from './nats-server.js';
import { startCli, until } from './procs.js';

const WRITE_KEY = 'wk_nats_dl_0001';
let nats: NatsServer;
let api: FakeTrackServer;
beforeAll(async () => {
  nats = await startNatsServer();
  api = await startFakeTrackServer({ siteId: 'site', apiKey: 'key' });
});
afterAll(async () => {
  await api?.close();
  await nats?.stop();
});

function config(dir: string): string {
  const file = path.join(dir, 'destination.json');
  writeFileSync(file, JSON.stringify({ settings: { siteId: 'site', apiKey: 'key' }, server: { writeKeys: [WRITE_KEY] }, delivery: { flushIntervalMs: 20 }, queue: { stream: 'dl', deadLetterStream: 'dl-dead', partitions: 2, leaseMs: 1_000 } }));
  return file;
}

describe('dead letters on JetStream and cio-actions queue', () => {
  it('queue init, then a rejected event: local file = stream = what run --send --replay reads', async () => {
    const dir = tempDir();
    const cfg = config(dir);
    const init = await cli(['queue', 'init', '--queue', nats.url, '--config', cfg]);
    expect(init.code, init.stderr).toBe(0);
    expect(ndjson(init.stdout)[0]).toMatchObject({ stream: 'dl', partitions: 2, consumers: ['p0', 'p1'], deadLetterStream: 'dl-dead', leases: 'dl-leases' });

    const serve = await startCli('serve', ['serve', '--config', cfg, '--port', '0', '--data-dir', path.join(dir, 's'), '--queue', nats.url]);
    const worker = await startCli('worker', ['worker', '--config', cfg, '--queue', nats.url, '--endpoint', api.url, '--port', '0', '--data-dir', path.join(dir, 'w')]);
    const batch = [
      { type: 'identify', userId: 'dl-1', messageId: 'dl-bad', traits: { [REJECT]: true, email: 'a@example.com' } },
      { type: 'identify', userId: 'dl-2', messageId: 'dl-good', traits: { email: 'b@example.com' } },
    ];
    const res = await fetch(`${serve.url}/v1/batch`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    expect(res.status).toBe(200);
    const local = path.join(dir, 'w', 'dead-letters.ndjson');
    await until(() => {
      try {
        return readFileSync(local, 'utf8').includes('dl-bad');
      } catch {
        return false;
      }
    }, 'the dead letter in the local file', 60_000);
    await until(() => api.accepted.some((a) => JSON.stringify(a.entity).includes('b@example.com')), 'the good event delivered', 60_000);

    const status = await cli(['queue', 'status', '--queue', nats.url, '--config', cfg]);
    expect(status.code, status.stderr).toBe(0);
    const st = ndjson(status.stdout)[0] as { deadLetters: number; partitions: unknown[] };
    expect(st.deadLetters).toBe(1);
    expect(st.partitions).toHaveLength(2);

    const out = await cli(['queue', 'dead-letters', '--queue', nats.url, '--config', cfg]);
    expect(out.code, out.stderr).toBe(0);
    expect(ndjson(out.stdout)).toEqual(ndjson(readFileSync(local, 'utf8')));
    expect(ndjson(out.stdout)[0]).toMatchObject({ messageId: 'dl-bad', stage: 'send' });
    expect([207, 400]).toContain((ndjson(out.stdout)[0] as { status: number }).status); // in a batch (207) or alone (400)
    const file = path.join(dir, 'dl.ndjson');
    writeFileSync(file, out.stdout);
    // read back and sent again (rejected again by the fake API, which still refuses the attribute)
    const replay = await cli(['run', file, '--send', '--replay', '--config', cfg, '--endpoint', api.url, '--dead-letter', path.join(dir, 'again.ndjson')]);
    expect(replay.code).toBe(1);
    expect(ndjson(replay.stdout).at(-1)).toMatchObject({ report: { events: { total: 1, failed: 1 } } });

    const purged = await cli(['queue', 'dead-letters', '--purge', '--queue', nats.url, '--config', cfg]);
    expect(purged.stderr).toMatch(/1 dead letter \(purged from the stream\)/);
    expect((await cli(['queue', 'dead-letters', '--queue', nats.url, '--config', cfg])).stdout).toBe('');

    for (const p of [serve, worker]) p.kill('SIGTERM');
    expect(await Promise.all([serve.exited, worker.exited])).toEqual([0, 0]);
  });

  it('serve and queue with an unreachable NATS: exit 1 and one clear line', async () => {
    const dir = tempDir();
    const cfg = config(dir);
    const port = await freePort();
    const r = await cli(['serve', '--config', cfg, '--port', '0', '--data-dir', dir, '--queue', `nats://127.0.0.1:${port}`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^cio-actions serve: cannot connect to NATS at nats://127.0.0.1:${port}`, 'm'));
    expect(r.stdout).toBe('');
    const q = await cli(['queue', 'status', '--queue', `nats://127.0.0.1:${port}`, '--config', cfg]);
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(/cio-actions queue: cannot connect to NATS/);
  });
});
