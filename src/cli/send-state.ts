// The durable progress of `run --send` (`--state DIR`, `--resume`): which input lines are finished,
// kept in the one progress log of src/queue/progress.ts (seq = line number − 1). Its meta holds the
// input file's identity and a hash of the configuration (a resume with another file or another
// mapping is refused), the read mark (lines up to it may have been in flight), and, after a clean
// stop, exactly which unfinished lines may have been sent and which of their items were settled.

import { createHash } from 'node:crypto';
import { open, readFile, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ReplaySkip } from '../index.js';
import { openProgressLog, type ProgressLog } from '../queue/progress.js';
import { UsageError } from './args.js';
import type { RunConfig } from './config.js';

const LOG_NAME = 'send';
const VERSION = 1;
/** Lines read ahead of the durable read mark: the mark is moved this far at a time (one fsync). */
const READ_RESERVE = 1_000;
const HEAD_BYTES = 64 * 1024;

export interface InputIdentity {
  path: string;
  size: number;
  /** sha256 of the first 64 KiB. */
  head: string;
}

interface Meta {
  version: number;
  input: InputIdentity;
  config: string;
  /** Lines ≤ this were (maybe) handed to delivery by some run; unfinished ones may have been sent. */
  readTo: number;
  /** Unfinished lines known to have been (maybe) sent, from a clean stop. */
  ambiguous: number[];
  /** Unfinished lines with items already settled, from a clean stop: line → what to skip. */
  partial: Record<string, ReplaySkip>;
}

export async function inputIdentity(file: string): Promise<InputIdentity> {
  const resolved = path.resolve(file);
  const info = await stat(resolved);
  const h = await open(resolved, 'r');
  try {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    const { bytesRead } = await h.read(buf, 0, buf.length, 0);
    return { path: resolved, size: info.size, head: createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex') };
  } finally {
    await h.close();
  }
}

/**
 * A hash of what decides which requests an event becomes (and so what the recorded item positions
 * mean): profile, presets and the subscription files' contents. Credentials, region and endpoint are
 * left out: a resume after fixing a 401, or through another proxy, must work.
 */
export async function configHash(config: RunConfig): Promise<string> {
  const files: string[] = [];
  for (const f of config.subscriptions) {
    const text = await readFile(f.resolved).catch(() => Buffer.from(''));
    files.push(`${f.file}:${createHash('sha256').update(text).digest('hex')}`);
  }
  const what = { profile: config.profile, presets: config.presets, files };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 32);
}

/** `--state` default: beside the dead-letter file (`dead.ndjson.state`), else beside the events file. */
export function defaultStateDir(deadLetter: string | undefined, file: string): string {
  return `${deadLetter ?? file}.state`;
}

/** What a resume learned from the state: counted in the report. */
export interface ResumeCounts {
  state: string;
  /** Lines finished by earlier runs, skipped. */
  done: number;
  /** Unfinished events sent again by this run. */
  resent: number;
  /** Of those, events that may have been received before (in flight when a run ended): possible duplicates. */
  ambiguous: number;
}

export class SendState {
  private meta: Meta;
  private pending: number[] = [];
  private flushing: Promise<void> | undefined;
  private failure: unknown;
  readonly counts: ResumeCounts;
  /** Ambiguity and partial info carried from the state, for lines not finished yet. */
  private readonly priorAmbiguous: Set<number>;
  private readonly priorReadTo: number;

  private constructor(
    readonly dir: string,
    private readonly log: ProgressLog,
    meta: Meta,
    readonly resuming: boolean,
  ) {
    this.meta = meta;
    this.priorAmbiguous = new Set(meta.ambiguous);
    this.priorReadTo = meta.readTo;
    this.counts = { state: dir, done: 0, resent: 0, ambiguous: 0 };
  }

  /** Opens (or, without `resume`, starts) the state of a run over `identity` with `config`. */
  static async open(dir: string, opts: { resume: boolean; identity: InputIdentity; config: string; file: string }): Promise<SendState> {
    let log: ProgressLog;
    const existed = await stat(path.join(dir, `${LOG_NAME}.progress`)).then(
      () => true,
      () => false,
    );
    if (opts.resume && !existed) {
      throw new UsageError(`--resume: nothing to resume in ${dir} (no unfinished run is recorded there; the last one finished, or none was started)`);
    }
    try {
      log = await openProgressLog(dir, LOG_NAME);
    } catch (e) {
      throw new UsageError(`--state ${dir}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const old = log.meta as Partial<Meta> | undefined;
    if (!opts.resume) {
      if (existed && (old !== undefined || log.lowWater > 0)) {
        await log.close();
        throw new UsageError(
          `${dir} holds an unfinished run${old?.input ? ` of ${old.input.path}` : ''}; continue it with --resume, or remove ${dir} to start over`,
        );
      }
      const meta: Meta = { version: VERSION, input: opts.identity, config: opts.config, readTo: 0, ambiguous: [], partial: {} };
      await log.setMeta(meta as unknown as Record<string, unknown>);
      return new SendState(dir, log, meta, false);
    }
    const problem = mismatch(old, opts.identity, opts.config);
    if (problem !== undefined) {
      await log.close();
      throw new UsageError(`--resume: ${dir} records a different run: ${problem}; resume with the same file and configuration, or remove ${dir} to start over`);
    }
    const meta = old as Meta;
    return new SendState(dir, log, { ...meta, ambiguous: [...(meta.ambiguous ?? [])], partial: { ...(meta.partial ?? {}) } }, true);
  }

  isDone(line: number): boolean {
    return this.log.isDone(line - 1);
  }

  /** For a resumed line: what was already settled, and whether it may have been sent before. */
  prior(line: number): { skip: ReplaySkip | undefined; ambiguous: boolean } {
    const skip = Object.hasOwn(this.meta.partial, String(line)) ? this.meta.partial[String(line)] : undefined;
    return { skip, ambiguous: line <= this.priorReadTo || this.priorAmbiguous.has(line) };
  }

  /**
   * Before line `line` is handed to delivery: the durable read mark must cover it. The mark is moved
   * READ_RESERVE lines ahead half a reserve early, in the background, so reading waits for that
   * fsync only when the disk is slower than reading half a reserve of lines.
   */
  beforeRead(line: number): Promise<void> | undefined {
    if (line + READ_RESERVE / 2 > this.meta.readTo) this.moveMark(line);
    if (line <= this.meta.readTo) return undefined;
    return (async () => {
      while (line > this.meta.readTo) {
        this.moveMark(line);
        await this.moving;
      }
    })();
  }

  private moveMark(line: number): void {
    if (this.moving !== undefined) return;
    const target = Math.max(line, this.meta.readTo) + READ_RESERVE;
    const meta = { ...this.meta, readTo: target };
    const p = this.log.setMeta(meta as unknown as Record<string, unknown>).then(() => {
      this.meta.readTo = Math.max(this.meta.readTo, target);
    });
    this.moving = p.finally(() => {
      if (this.moving === tracked) this.moving = undefined;
    });
    const tracked = this.moving;
    tracked.catch(() => undefined); // a failure shows where it is awaited (reading), not as an unhandled rejection
  }
  private moving: Promise<void> | undefined;

  /** Line `line` is finished (its dead letters, if any, handed to the file); recorded at the next `flush`. */
  finished(line: number): void {
    this.pending.push(line - 1);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Makes the finished lines durable: first `before` (the dead-letter file's fsync), then the
   * progress log. Concurrent calls share one flush. A failure of the log is kept and rethrown.
   */
  flush(before: () => Promise<ReadonlySet<number> | undefined>): Promise<void> {
    this.flushing ??= (async () => {
      try {
        while (this.pending.length > 0) {
          const seqs = this.pending;
          this.pending = [];
          // `before` names lines whose dead letters did not reach the file: they stay unfinished
          const lost = await before();
          await this.log.markDone(lost === undefined || lost.size === 0 ? seqs : seqs.filter((s) => !lost.has(s + 1)));
        }
      } catch (e) {
        this.failure ??= e;
        throw e;
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  /**
   * After a clean stop: exactly which unfinished lines may have been sent (`ambiguous`) and what of
   * them was settled (`partial`); the read mark drops to 0 (nothing else was in flight).
   */
  async recordStop(ambiguous: Iterable<number>, partial: ReadonlyMap<number, ReplaySkip>): Promise<void> {
    await this.moving?.catch(() => undefined);
    const amb = new Set<number>();
    for (const l of this.meta.ambiguous) if (!this.isDone(l)) amb.add(l);
    for (const l of ambiguous) if (!this.isDone(l)) amb.add(l);
    const merged: Record<string, ReplaySkip> = {};
    for (const [k, v] of Object.entries(this.meta.partial)) if (!this.isDone(Number(k))) merged[k] = v;
    for (const [l, v] of partial) if (!this.isDone(l)) merged[String(l)] = v;
    this.meta = { ...this.meta, readTo: 0, ambiguous: [...amb].sort((a, b) => a - b), partial: merged };
    await this.log.setMeta(this.meta as unknown as Record<string, unknown>);
  }

  /** The run finished everything: the state is removed (a later --resume says there is nothing to resume). */
  async complete(): Promise<void> {
    await this.log.close();
    await rm(path.join(this.dir, `${LOG_NAME}.progress`), { force: true });
    await rmdir(this.dir).catch(() => undefined); // only when empty
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}

function mismatch(old: Partial<Meta> | undefined, id: InputIdentity, config: string): string | undefined {
  if (old === undefined || old.version !== VERSION || typeof old.input !== 'object' || old.input === null) return 'its record is unreadable';
  const was = old.input;
  if (was.path !== id.path) return `it was a run of ${was.path}, not ${id.path}`;
  if (was.size !== id.size || was.head !== id.head) return `${id.path} has changed since (size ${was.size} → ${id.size}${was.head !== id.head ? ', different content' : ''})`;
  if (old.config !== config) return 'the configuration (profile, presets or subscription files) has changed since';
  return undefined;
}
