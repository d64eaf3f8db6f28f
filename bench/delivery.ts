// Delivery benchmark: the runtime alone (items pre-processed, so mapping costs are excluded) sending
// the parity corpus × 10 to a local accept-all HTTP sink, batched vs one request per item (Segment's single mode).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDestination, deliver } from '../src/index.js';
import type { DetailedProcessResult } from '../src/runtime/types.js';
import { loadCorpus, type BenchRow } from './harness.js';

/** A sink that reads each body and answers 200 {} (keep-alive), on 127.0.0.1. */
async function sink(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The delivery suite for bench/run.ts. */
export async function bench(): Promise<BenchRow[]> {
  const corpus = await loadCorpus();
  const destination = createDestination({ settings: { siteId: 's', apiKey: 'k' }, presets: 'all' });
  const events = Array.from({ length: 10 }, () => corpus).flat();
  const results: DetailedProcessResult[] = events.map((e) => destination.processDetailed(e));
  const unbatched: DetailedProcessResult[] = results.map((r) => ({ ...r, items: r.items.map((i) => ({ ...i, batching: i.batching && { ...i.batching, enabled: false } })) }));
  const server = await sink();
  const indices = events.map((_, i) => i);
  async function rate(table: DetailedProcessResult[], ordering: 'per-person' | 'per-queue'): Promise<{ perSec: number; requests: number }> {
    const source = { processDetailed: (i: unknown) => table[i as number]! };
    const t0 = performance.now();
    const report = await deliver(source, indices, { ordering, concurrency: 8 }, { siteId: 's', apiKey: 'k', endpoint: server.url });
    return { perSec: (events.length * 1000) / (performance.now() - t0), requests: report.requests };
  }
  try {
    await rate(results, 'per-queue'); // warm-up
    const single = await rate(unbatched, 'per-queue');
    const rows: BenchRow[] = [];
    for (const ordering of ['per-queue', 'per-person'] as const) {
      const r = await rate(results, ordering);
      rows.push({
        name: `deliver ${events.length} events, batched (${ordering})`,
        ours: r.perSec,
        peer: single.perSec,
        peerName: 'one request per item',
        unit: 'event',
        note: `${r.requests} vs ${single.requests} requests`,
      });
    }
    return rows;
  } finally {
    await server.close();
  }
}
