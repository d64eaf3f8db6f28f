// `run FILE --send` with its durable progress (state directory: fsync'd progress log, read mark)
// against the same events piped through stdin (no state), both to a local accept-all sink on
// 127.0.0.1: what keeping a run resumable costs, events per second.

import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { loadCorpus, type BenchRow } from './harness.js';

const EVENTS = 10_000;

function sinkStream(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}

export async function bench(): Promise<BenchRow[]> {
  const corpus = await loadCorpus();
  const lines = Array.from({ length: EVENTS }, (_, i) => JSON.stringify({ ...(corpus[i % corpus.length] as Record<string, unknown>), messageId: `bench-${i}` }));
  const dir = await mkdtemp(path.join(tmpdir(), 'cio-bench-send-'));
  const file = path.join(dir, 'events.ndjson');
  await writeFile(file, `${lines.join('\n')}\n`);
  await writeFile(path.join(dir, 'destination.json'), JSON.stringify({ settings: { siteId: 's', apiKey: 'k' }, presets: 'all' }));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = path.join(dir, 'destination.json');
  const env = { NO_COLOR: '1' };
  async function once(withState: boolean): Promise<number> {
    const t0 = performance.now();
    const args = withState ? ['run', file, '--config', config, '--send', '--endpoint', url, '--state', path.join(dir, 'state')] : ['run', '-', '--config', config, '--send', '--endpoint', url];
    const stdin = withState ? process.stdin : (createReadStream(file) as unknown as NodeJS.ReadStream);
    const code = await main(args, { stdin, stdout: sinkStream(), stderr: sinkStream(), env });
    if (code === 2) throw new Error('run --send failed with a usage error');
    await rm(path.join(dir, 'state'), { recursive: true, force: true });
    return (EVENTS * 1000) / (performance.now() - t0);
  }
  try {
    await once(true); // warm-up
    await once(false);
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < 3; i++) {
      ours.push(await once(true));
      peer.push(await once(false));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1]!;
    return [
      {
        name: `run FILE --send with durable progress (${EVENTS.toLocaleString('en-US')} events, presets all, accept-all sink)`,
        ours: median(ours),
        peer: median(peer),
        peerName: 'the same through stdin, no state',
        unit: 'event',
        note: 'median of 3 alternating runs; target ≥ 0.8×',
      },
    ];
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
}
