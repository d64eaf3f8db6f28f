// The JetStream queue options of `serve --queue`, `worker` and `queue`: the configuration's
// `queue` block, with --queue / --stream on top. One place, so the three commands agree.

import { UsageError } from './args.js';
import type { RunConfig } from './config.js';
import { resolveJetStreamOptions, type JetStreamOptions } from '../queue/jetstream/options.js';

/** The `--queue` and `--stream` rows of `worker` and `queue` (their help text is the same). */
export const QUEUE_FLAGS = {
  queue: { type: 'string', value: 'URL', description: 'NATS server(s), nats://HOST:PORT (or queue.url in the configuration)' },
  stream: { type: 'string', value: 'NAME', description: 'the events stream (default cio-events, or queue.stream)' },
} as const;

/** The options, or a UsageError when no nats:// URL is given. */
export function jetStreamOptions(config: RunConfig, flags: { queue?: unknown; stream?: unknown }, command: string): JetStreamOptions {
  const url = typeof flags.queue === 'string' ? flags.queue : typeof config.queue.url === 'string' ? config.queue.url : undefined;
  if (url === undefined) throw new UsageError(`${command} needs a queue: --queue nats://HOST:4222 (or queue.url in the configuration)`);
  if (!/^(nats|tls):\/\//.test(url.trim())) throw new UsageError(`--queue ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${command} works on NATS JetStream (nats://HOST:PORT)`);
  const options: JetStreamOptions = { ...(config.queue as Partial<JetStreamOptions>), url };
  if (typeof flags.stream === 'string') options.stream = flags.stream;
  try {
    resolveJetStreamOptions(options, 'check'); // every mistake now, as a usage error
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
  return options;
}
