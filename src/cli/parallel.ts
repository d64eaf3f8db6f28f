// `run --threads N`: the dry run on several cores. The main thread reads and splits the input into
// lines exactly as the single-thread run does (line numbers, BOM, encodings, over-long lines),
// hands consecutive lines to N worker threads (run-worker.ts) as jobs, and writes their output in
// input order: the bytes on stdout, the summary and the exit code are those of `--threads 1`.
// Memory stays flat: at most IN_FLIGHT_PER_THREAD jobs per worker are out at once.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunConfig } from './config.js';
import { sniffEncoding, type LineWriter } from './ndjson.js';
import type { Skips } from './pipeline.js';
import { addCounters, type Counters } from './progress.js';
import type { Job, JobResult, WorkerSetup } from './run-worker.js';

/** Bytes per job (whole lines): big enough that a message costs little per line, small enough to keep output flowing. */
const JOB_BYTES = 1024 * 1024;
const IN_FLIGHT_PER_THREAD = 3;

/** The worker script beside this module (dist/cli/ in the bundle, dist/src/cli/ unbundled); undefined when absent (running from the .ts sources). */
export function workerScript(): URL | undefined {
  const url = new URL('./run-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

interface Pool {
  run(job: Job, transfer: ArrayBuffer[]): Promise<JobResult>;
  close(): Promise<void>;
}

async function startPool(script: URL, threads: number, setup: WorkerSetup): Promise<Pool> {
  const waiting = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  const fail = (e: Error): void => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  const workers = await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(script, { workerData: setup });
      return new Promise<Worker>((resolve, reject) => {
        worker.once('error', reject);
        worker.on('message', (m: JobResult | { ready: true } | { failed: string }) => {
          if ('ready' in m) {
            worker.off('error', reject);
            worker.on('error', fail);
            resolve(worker);
          } else if ('failed' in m) reject(new Error(`worker thread: ${m.failed}`));
          else {
            const w = waiting.get(m.id);
            waiting.delete(m.id);
            w?.resolve(m);
          }
        });
        worker.once('exit', (code) => {
          if (code !== 0) fail(new Error(`worker thread exited with code ${code}`));
        });
      });
    }),
  );
  let next = 0;
  return {
    run(job, transfer) {
      if (failure) return Promise.reject(failure);
      const worker = workers[next++ % workers.length] as Worker;
      return new Promise<JobResult>((resolve, reject) => {
        waiting.set(job.id, { resolve, reject });
        worker.postMessage(job, transfer);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * The dry run of pipeline.ts's `dryRun` (without --only/--explain), on `threads` worker threads.
 * The main thread only cuts the input into jobs of whole lines (at a line break, counting them)
 * and writes the answers in order; splitting, parsing, processing and serializing happen in the
 * workers. Input in another encoding than UTF-8 (by its first bytes) goes to `fallback`.
 */
export async function parallelDryRun(
  input: AsyncIterable<Buffer | string>,
  script: URL,
  threads: number,
  setup: WorkerSetup,
  out: LineWriter,
  counters: Counters,
  skips: Skips,
  fallback: (input: AsyncIterable<Buffer | string>) => Promise<void>,
): Promise<void> {
  const reader = bytesOf(input)[Symbol.asyncIterator]();
  const first = await reader.next();
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => reader };
  if (first.done === true) return;
  if (first.value.length < 4 || sniffEncoding(first.value) !== undefined) return fallback(prepend(first.value, rest));
  const pool = await startPool(script, threads, setup);
  const inFlight: Array<Promise<JobResult>> = [];
  let id = 0;
  let startLine = 0;
  const take = async (): Promise<void> => {
    const r = await (inFlight.shift() as Promise<JobResult>);
    addCounters(counters, r.counters);
    for (const [reason, line] of r.skips) skips.add(reason, line);
    await out.writeBytes(r.bytes);
  };
  const dispatch = async (bytes: Buffer): Promise<void> => {
    const job = new Uint8Array(bytes.length); // its own buffer, transferred to the worker
    job.set(bytes);
    inFlight.push(pool.run({ id: id++, startLine, bytes: job }, [job.buffer]));
    startLine += countLines(bytes);
    while (inFlight.length >= threads * IN_FLIGHT_PER_THREAD && !out.closed) await take();
  };
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of prepend(first.value, rest)) {
      const cut = chunk.lastIndexOf(LF);
      if (cut === -1) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        continue;
      }
      pending.push(chunk.subarray(0, cut + 1));
      pendingBytes += cut + 1;
      if (pendingBytes >= JOB_BYTES) {
        await dispatch(Buffer.concat(pending, pendingBytes));
        pending = [];
        pendingBytes = 0;
      }
      const tail = chunk.subarray(cut + 1);
      if (tail.length > 0) {
        pending.push(tail);
        pendingBytes += tail.length;
      }
      if (out.closed) return;
    }
    if (pendingBytes > 0) await dispatch(Buffer.concat(pending, pendingBytes));
    while (inFlight.length > 0 && !out.closed) await take();
  } finally {
    // a job still out (output closed, or a failure) is dropped with its worker
    for (const p of inFlight) p.catch(() => undefined);
    await pool.close();
  }
}

const LF = 10;

/** Line breaks in `bytes` (a job ends with one, except the input's last line). */
function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

async function* bytesOf(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  yield* rest;
}
