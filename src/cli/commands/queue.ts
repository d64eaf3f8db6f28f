// `cio-actions queue init|dead-letters|status`: administration of the JetStream queue. `init`
// creates the streams, consumers and lease bucket (what serve and worker also do at start).

import { UsageError, type CommandSpec } from '../args.js';
import { loadConfig } from '../config.js';
import type { CommandRun } from '../io.js';
import { LineWriter } from '../ndjson.js';
import { jetStreamOptions, QUEUE_FLAGS } from '../queue-options.js';
import { connectNats, initQueue, manager, QueueUnavailableError } from '../../queue/jetstream/admin.js';
import { readDeadLetterStream } from '../../queue/jetstream/dead-letters.js';
import { names, resolveJetStreamOptions } from '../../queue/jetstream/options.js';

export const spec: CommandSpec = {
  name: 'queue',
  summary: 'Administer the NATS JetStream queue: init, dead-letters, status.',
  usage: 'init|dead-letters|status --queue nats://HOST:4222 [--stream cio-events] [--config destination.json] [--purge]',
  options: {
    ...QUEUE_FLAGS,
    config: { type: 'string', short: 'c', value: 'FILE', description: 'configuration with a `queue` block (partitions, replicas, retention, maxBytes, …)' },
    purge: { type: 'boolean', description: 'with dead-letters: remove the dead letters that were printed' },
  },
  positionals: { min: 1, max: 1, name: 'a subcommand (init, dead-letters, status)' },
  details: `init          create (or update) the events stream, one consumer per partition, the dead-letter stream
              and the lease bucket, from the configuration; prints what exists as one JSON line.
dead-letters  every dead letter of the cio-dead-letters stream as NDJSON on stdout, oldest first:
                cio-actions queue dead-letters --queue nats://… > dl.ndjson
                cio-actions run dl.ndjson --send --replay --config destination.json
status        stream depth and bytes, and per partition consumer pending / unacknowledged / owner.
Exit code: 0 ok, 1 NATS unreachable or JetStream refused, 2 usage.`,
};

export const run: CommandRun = async (args, io) => {
  const sub = args.positionals[0];
  if (sub !== 'init' && sub !== 'dead-letters' && sub !== 'status') throw new UsageError(`unknown subcommand \`${sub ?? ''}\`; use init, dead-letters or status`);
  if (args.options.purge === true && sub !== 'dead-letters') throw new UsageError('--purge only applies to dead-letters');
  const config = await loadConfig(typeof args.options.config === 'string' ? args.options.config : undefined, { ...io.env, CUSTOMERIO_SITE_ID: 'unused', CUSTOMERIO_API_KEY: 'unused' });
  let o;
  try {
    o = resolveJetStreamOptions(jetStreamOptions(config, args.options, `queue ${sub}`), `cio-actions-queue-${process.pid}`);
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message);
    throw err;
  }
  const out = new LineWriter(io.stdout);
  try {
    if (sub === 'init') await out.writeJson(await initQueue(o));
    else if (sub === 'dead-letters') {
      let n = 0;
      for await (const { line } of readDeadLetterStream(o, { purge: args.options.purge === true })) {
        await out.writeLine(line);
        n++;
      }
      io.stderr.write(`${n} dead letter${n === 1 ? '' : 's'}${args.options.purge === true && n > 0 ? ' (purged from the stream)' : ''}\n`);
    } else await out.writeJson(await status(o));
    await out.end();
    return 0;
  } catch (err) {
    if (err instanceof QueueUnavailableError) {
      io.stderr.write(`cio-actions queue: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
};

async function status(o: ReturnType<typeof resolveJetStreamOptions>): Promise<Record<string, unknown>> {
  const nc = await connectNats(o);
  try {
    const jsm = await manager(nc, o);
    const info = await jsm.streams.info(o.stream).catch((err: Error) => {
      throw new QueueUnavailableError(`JetStream: no stream ${o.stream} (${err.message})`);
    });
    const n = names(o);
    const partitions: Array<Record<string, unknown>> = [];
    for (let p = 0; p < o.partitions; p++) {
      const c = await jsm.consumers.info(o.stream, n.consumer(p)).catch(() => undefined);
      partitions.push({ partition: p, consumer: n.consumer(p), pending: c?.num_pending ?? null, ackPending: c?.num_ack_pending ?? null, redelivered: c?.num_redelivered ?? null });
    }
    const dl = await jsm.streams.info(o.deadLetterStream).catch(() => undefined);
    return { stream: o.stream, messages: info.state.messages, bytes: info.state.bytes, deadLetters: dl?.state.messages ?? null, partitions };
  } finally {
    await nc.close();
  }
}
