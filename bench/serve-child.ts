// A child process for bench/serve.ts: starts `ours` (the serve ingestion server on a journal) or
// `bound` (a bare node:http server appending parsed bodies to a file with the same group-commit
// fsync) in DIR, prints {"listening": URL} and runs until killed. Servers run apart from the load
// generator, so the two never share one event loop.

import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openJournal } from '../src/queue/journal.js';
import { createLogger } from '../src/server/log.js';
import { startServer } from '../src/server/server.js';

export const BENCH_WRITE_KEY = 'wk_bench_0001';

async function bound(dir: string): Promise<string> {
  const file = await open(join(dir, 'bare.log'), 'a');
  let pending: { text: string; waiters: Array<() => void> } | undefined;
  let writing = false;
  async function flush(): Promise<void> {
    writing = true;
    while (pending) {
      const batch = pending;
      pending = undefined;
      await file.appendFile(batch.text);
      await file.sync();
      for (const w of batch.waiters) w();
    }
    writing = false;
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch: unknown[] };
      let text = '';
      for (const e of body.batch) text += `${JSON.stringify(e)}\n`;
      pending ??= { text: '', waiters: [] };
      pending.text += text;
      pending.waiters.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}'));
      if (!writing) void flush();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function ours(dir: string): Promise<string> {
  const queue = await openJournal({ dir: join(dir, 'journal') });
  const logger = createLogger({ secrets: { others: [BENCH_WRITE_KEY] }, level: 'error', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const server = await startServer({ queue, writeKeys: [BENCH_WRITE_KEY], logger, port: 0 });
  return server.url;
}

const [kind, dir] = process.argv.slice(2);
if (kind === 'ours' || kind === 'bound') {
  const url = await (kind === 'ours' ? ours(dir!) : bound(dir!));
  process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
}
