// createQueue (src/queue/index.ts): the local journal by default, registered backends by URL
// scheme, clear errors for anything else.

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createQueue, registerQueueBackend, type EventQueue } from '../../src/queue/index.js';

describe('createQueue', () => {
  it('opens the local journal under DATA_DIR/journal when no URL is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-factory-'));
    const q = await createQueue({ dataDir: dir });
    await q.append([{ type: 'track', messageId: 'm1' }]);
    expect(q.stats().depth).toBe(1);
    await q.close();
    expect(readdirSync(join(dir, 'journal')).some((n) => n.endsWith('.seg'))).toBe(true);
  });

  it('hands a registered scheme its spec, and names the known schemes for an unknown one', async () => {
    const seen: unknown[] = [];
    const fake = { append: async () => {}, read: async function* () {}, done: async () => {}, stats: () => ({ depth: 0, bytes: 0 }), close: async () => {} } as unknown as EventQueue;
    registerQueueBackend('test', async (spec) => {
      seen.push(spec);
      return fake;
    });
    expect(await createQueue({ url: 'test://host:1', dataDir: '/tmp/x', options: { stream: 's' } })).toBe(fake);
    expect(seen).toEqual([{ url: 'test://host:1', dataDir: '/tmp/x', options: { stream: 's' } }]);
    await expect(createQueue({ url: 'kafka://h:9092', dataDir: '/tmp/x' })).rejects.toThrow(/no queue backend for kafka:.*known: .*test:/);
    await expect(createQueue({ url: 'not a url', dataDir: '/tmp/x' })).rejects.toThrow(/not a URL/);
  });
});
