// A worker thread of `run --threads N` (a dry run on several cores): builds the same destination
// from the same configuration, then turns each job (consecutive input lines) into the exact output
// text the single-thread dry run writes for them, with its counters and skips. See parallel.ts.

import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { buildDestination } from './commands/run.js';
import type { RunConfig } from './config.js';
import { LineWriter, readLineBatches, type Line } from './ndjson.js';
import { dryRun, Skips } from './pipeline.js';
import { newCounters, type Counters } from './progress.js';

/** What the main thread sends once (workerData). */
export interface WorkerSetup {
  config: RunConfig;
  color: boolean;
  pretty: boolean;
}

/** One job: whole consecutive lines of the input as UTF-8 bytes, the first being line `startLine + 1`. */
export interface Job {
  id: number;
  startLine: number;
  bytes: Uint8Array;
}

/** Its answer: the output text of those lines, their counters and their skips in order. */
export interface JobResult {
  id: number;
  /** The output lines as UTF-8 (transferred, not copied). */
  bytes: Uint8Array;
  counters: Counters;
  skips: Array<[string, number]>;
}

/** Records the skips of a job, to be replayed in input order by the main thread. */
class RecordingSkips extends Skips {
  readonly events: Array<[string, number]> = [];
  override add(reason: string, line: number): void {
    this.events.push([reason, line]);
  }
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('run-worker.js is a worker thread of `cio-actions run`');
  const setup = workerData as WorkerSetup;
  const destination = await buildDestination(setup.config, setup.color);
  port.on('message', (job: Job) => {
    void (async () => {
      const parts: string[] = [];
      const sink = new Writable({
        highWaterMark: 1 << 30,
        write(chunk: Buffer | string, _enc, done) {
          parts.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
          done();
        },
        decodeStrings: false,
      });
      const out = new LineWriter(sink, 1 << 20, setup.pretty ? 2 : undefined);
      const counters = newCounters();
      const skips = new RecordingSkips();
      await dryRun(numbered(job), destination, out, counters, skips);
      await out.flush();
      const bytes = Buffer.from(parts.join(''), 'utf8');
      const result: JobResult = { id: job.id, bytes, counters, skips: skips.events };
      port.postMessage(result, bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer] : []);
    })();
  });
  port.postMessage({ ready: true });
}

/**
 * The job's lines, split by the same reader as the single-thread run, numbered from `startLine`.
 * A job after the first gets a leading line break (a blank line, dropped), so that only the
 * input's real first line is looked at for a byte order mark or an encoding.
 */
async function* numbered(job: Job): AsyncGenerator<Line[]> {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const input = job.startLine === 0 ? bytes : Buffer.concat([Buffer.from('\n'), bytes]);
  const offset = job.startLine === 0 ? 0 : job.startLine - 1;
  for await (const batch of readLineBatches(once(input))) {
    const lines = offset === 0 ? batch : batch.map((l) => ({ ...l, line: l.line + offset }) as Line);
    yield job.startLine === 0 || lines[0]?.line !== job.startLine ? lines : lines.slice(1);
  }
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

void serve().catch((err: unknown) => {
  parentPort?.postMessage({ failed: (err as Error)?.message ?? String(err) });
});
