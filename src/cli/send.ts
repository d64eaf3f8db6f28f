// `run --send`: feeds the parsed events to `Destination.deliver` (batching, retries, 207 mapping,
// dead letter live in the library) and prints its report as the final NDJSON line.

import type { Destination } from './api.js';
import type { RunConfig } from './config.js';
import type { Line, LineWriter } from './ndjson.js';
import { isBlank, parseLine } from './pipeline.js';
import type { Counters } from './progress.js';

export interface SendOptions {
  config: RunConfig;
  endpoint: string | undefined;
  deadLetter: string | undefined;
  redact: (text: string) => string;
}

/** Delivers every event; returns the exit code (1 when some event failed). */
export async function send(batches: AsyncIterable<Line[]>, destination: Destination, out: LineWriter, counters: Counters, options: SendOptions): Promise<number> {
  async function* events(): AsyncGenerator<unknown> {
    for await (const batch of batches) {
      for (const line of batch) {
        if (isBlank(line)) continue;
        const index = counters.events++;
        const parsed = parseLine(line);
        if (parsed.ok) yield parsed.event;
        else {
          counters.errors++;
          counters.failed++;
          await out.writeJson({ event: index, messageId: null, error: { message: parsed.message } });
          yield null; // keeps the library's event indices equal to ours; null matches no subscription
        }
      }
    }
  }
  const deliverOptions: Record<string, unknown> = { ...options.config.delivery };
  if (options.endpoint !== undefined) deliverOptions.endpoint = options.endpoint;
  if (options.deadLetter !== undefined) deliverOptions.deadLetter = options.deadLetter;
  const report = await destination.deliver(events(), deliverOptions);
  await out.writeLine(options.redact(JSON.stringify({ report })));
  return counters.failed > 0 ? 1 : 0;
}
