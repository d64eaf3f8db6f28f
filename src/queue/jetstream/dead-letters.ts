// Reading the dead-letter stream back: every stored dead letter as one NDJSON line, oldest first,
// for `cio-actions queue dead-letters > file.ndjson` and then `run file.ndjson --send --replay`.

import { jetstream } from '@nats-io/jetstream';
import { connectNats, manager, QueueUnavailableError } from './admin.js';
import type { ResolvedJetStreamOptions } from './options.js';

/** Yields each dead letter's JSON line with its stream sequence; ends when caught up. `purge` then removes what was read. */
export async function* readDeadLetterStream(o: ResolvedJetStreamOptions, options: { purge?: boolean } = {}): AsyncGenerator<{ seq: number; line: string }> {
  const nc = await connectNats(o);
  try {
    const jsm = await manager(nc, o);
    const info = await jsm.streams.info(o.deadLetterStream).catch((err: Error) => {
      throw new QueueUnavailableError(`JetStream: no dead-letter stream ${o.deadLetterStream} (${err.message}); \`cio-actions queue init\` creates it`);
    });
    if (info.state.messages === 0) return;
    const last = info.state.last_seq;
    const consumer = await jetstream(nc).consumers.get(o.deadLetterStream);
    let seq = 0;
    while (seq < last) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        seq = m.seq;
        if (m.seq <= last) yield { seq: m.seq, line: m.string() };
        if (m.seq >= last) break;
      }
      if (got === 0) break; // nothing more within the wait: caught up
    }
    if (options.purge === true && seq > 0) await jsm.streams.purge(o.deadLetterStream, { seq: seq + 1 });
  } finally {
    await nc.close();
  }
}
