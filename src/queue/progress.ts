// The one durable-progress record: which sequence numbers (0,1,2,… dense) are finished. Used by the
// journal (which queued events are done) and by `run --send --resume` (which input events are done).
// An append-only file of checksummed lines, group-committed (one write + fsync per burst of calls),
// compacted by writing a fresh file and renaming it over the old one.
//
// File `dir/<name>.progress`, one record per line: `<crc32 hex8> <payload>\n`, payload one of
//   `B <lowWater>`            base: everything below is done (first record of a compacted file)
//   `D <ranges>`              done: `5,7-9,12` (ascending ranges, inclusive)
//   `M <json>`                the owner's meta (the last one wins)
// A record whose checksum does not match (a torn write at the tail after a crash) is ignored; a
// torn tail is cut off on open so later appends start on a clean line. Ignoring a record can only
// make something look not-done (handed out again), never make something look done.

import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir, writeFileAtomic } from './files.js';
import { crc32 } from 'node:zlib';

/** A durable record of which sequence numbers (0,1,2,… dense) are finished. */
export interface ProgressLog {
  /** Everything below is done (the committed position). */
  readonly lowWater: number;
  isDone(seq: number): boolean;
  /** Records done; resolves when fsync'd. Concurrent calls share one write+fsync (group commit). */
  markDone(seqs: readonly number[]): Promise<void>;
  /** Arbitrary small JSON the owner keeps with the log (e.g. the input file's identity, config hash). */
  readonly meta: Record<string, unknown> | undefined;
  setMeta(meta: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface ProgressLogOptions {
  /** Compact when the file has grown past this many bytes and past 4× its last compacted size. Default 1 MiB. */
  compactBytes?: number;
}

/** Opens (creating) `dir/<name>.progress`; a torn last record (crash mid-write) is ignored, never fatal. */
export async function openProgressLog(
  dir: string,
  name = 'done',
  options: ProgressLogOptions = {},
): Promise<ProgressLog> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`progress log name ${JSON.stringify(name)}: use letters, digits, '.', '_' or '-'`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.progress`);
  const handle = await open(path, 'a+');
  try {
    const text = (await handle.readFile()).toString('utf8');
    const state = parse(text);
    if (state.cleanLength < Buffer.byteLength(text)) await handle.truncate(state.cleanLength);
    await handle.sync();
    await syncDir(dir);
    const log = new FileProgressLog(dir, path, handle, state, options.compactBytes ?? 1 << 20);
    // A file with damaged records is rewritten at once, so the damage is not carried forward.
    if (state.bad > 0) await log.compactNow();
    return log;
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}

interface ParsedState {
  lowWater: number;
  done: Set<number>;
  meta: Record<string, unknown> | undefined;
  /** Byte length of the prefix that ends in a complete line. */
  cleanLength: number;
  /** Records ignored (bad checksum or shape). */
  bad: number;
}

function parse(text: string): ParsedState {
  const state: ParsedState = { lowWater: 0, done: new Set(), meta: undefined, cleanLength: 0, bad: 0 };
  const lastNewline = text.lastIndexOf('\n');
  const complete = lastNewline < 0 ? '' : text.slice(0, lastNewline + 1);
  state.cleanLength = Buffer.byteLength(complete);
  if (lastNewline < text.length - 1) state.bad++; // torn tail
  for (const line of complete.split('\n')) {
    if (line === '') continue;
    const payload = checkedPayload(line);
    if (payload === undefined || !applyRecord(state, payload)) state.bad++;
  }
  advance(state);
  return state;
}

function checkedPayload(line: string): string | undefined {
  if (line.length < 10 || line[8] !== ' ') return undefined;
  const payload = line.slice(9);
  return line.slice(0, 8) === checksum(payload) ? payload : undefined;
}

function applyRecord(state: ParsedState, payload: string): boolean {
  const kind = payload[0];
  const body = payload.slice(2);
  if (payload[1] !== ' ') return false;
  if (kind === 'B') {
    const n = Number(body);
    if (!Number.isSafeInteger(n) || n < 0) return false;
    if (n > state.lowWater) state.lowWater = n;
    return true;
  }
  if (kind === 'D') {
    const seqs = decodeRanges(body);
    if (seqs === undefined) return false;
    for (const [a, b] of seqs) for (let s = Math.max(a, state.lowWater); s <= b; s++) state.done.add(s);
    return true;
  }
  if (kind === 'M') {
    try {
      const meta: unknown = JSON.parse(body);
      if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return false;
      state.meta = meta as Record<string, unknown>;
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

/** Moves lowWater over the done seqs that now touch it. */
function advance(state: { lowWater: number; done: Set<number> }): void {
  while (state.done.has(state.lowWater)) state.done.delete(state.lowWater++);
  if (state.done.size > 0) for (const s of state.done) if (s < state.lowWater) state.done.delete(s);
}

function checksum(payload: string): string {
  return crc32(payload).toString(16).padStart(8, '0');
}

function record(payload: string): string {
  return `${checksum(payload)} ${payload}\n`;
}

/** Ascending, merged ranges of `seqs` as `a-b,c,…`. */
export function encodeRanges(seqs: Iterable<number>): string {
  const sorted = [...seqs].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1]! <= end + 1) end = Math.max(end, sorted[++i]!);
    i++;
    parts.push(start === end ? String(start) : `${start}-${end}`);
  }
  return parts.join(',');
}

function decodeRanges(text: string): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const m = /^(\d{1,16})(?:-(\d{1,16}))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a) return undefined;
    out.push([a, b]);
  }
  return out;
}

interface Pending {
  done: number[];
  meta?: string;
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

class FileProgressLog implements ProgressLog {
  private state: { lowWater: number; done: Set<number> };
  private currentMeta: Record<string, unknown> | undefined;
  private pending: Pending | undefined;
  private writing: Promise<void> | undefined;
  private failed: unknown;
  private closed = false;
  private fileBytes: number;
  private compactedBytes: number;

  constructor(
    private readonly dir: string,
    private readonly path: string,
    private handle: FileHandle,
    parsed: ParsedState,
    private readonly compactBytes: number,
  ) {
    this.state = { lowWater: parsed.lowWater, done: parsed.done };
    this.currentMeta = parsed.meta;
    this.fileBytes = parsed.cleanLength;
    this.compactedBytes = parsed.cleanLength;
  }

  get lowWater(): number {
    return this.state.lowWater;
  }

  get meta(): Record<string, unknown> | undefined {
    return this.currentMeta;
  }

  isDone(seq: number): boolean {
    return seq < this.state.lowWater || this.state.done.has(seq);
  }

  markDone(seqs: readonly number[]): Promise<void> {
    for (const s of seqs) {
      if (!Number.isSafeInteger(s) || s < 0) return Promise.reject(new RangeError(`progress log: sequence number ${String(s)} is not a non-negative integer`));
    }
    const fresh = seqs.filter((s) => !this.isDone(s));
    if (fresh.length === 0 && this.pending === undefined && this.writing === undefined) return this.check();
    return this.enqueue((p) => {
      for (const s of fresh) p.done.push(s);
    });
  }

  setMeta(meta: Record<string, unknown>): Promise<void> {
    const json = JSON.stringify(meta); // no newlines: JSON.stringify escapes them
    return this.enqueue((p) => {
      p.meta = json;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await this.writing.catch(() => {});
    await this.handle.close();
  }

  /** Rewrites the file as its current state (base + done above it + meta), atomically. */
  async compactNow(): Promise<void> {
    while (this.writing) await this.writing.catch(() => {});
    await this.compact();
  }

  private check(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`progress log ${this.path} is closed`));
    if (this.failed !== undefined) return Promise.reject(this.failed);
    return Promise.resolve();
  }

  private enqueue(add: (p: Pending) => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`progress log ${this.path} is closed`));
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (this.pending === undefined) this.pending = { done: [], waiters: [] };
    add(this.pending);
    const p = this.pending;
    const promise = new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject }));
    if (this.writing === undefined) this.writing = this.flushLoop();
    return promise;
  }

  /** While calls keep arriving, each write+fsync takes everything that arrived during the previous one. */
  private async flushLoop(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const batch = this.pending;
        this.pending = undefined;
        try {
          if (this.failed !== undefined) throw this.failed;
          // one record for all the seqs of the burst, one for its last meta
          let data = batch.done.length > 0 ? record(`D ${encodeRanges(batch.done)}`) : '';
          if (batch.meta !== undefined) data += record(`M ${batch.meta}`);
          if (data.length > 0) {
            await this.handle.appendFile(data);
            await this.handle.sync();
            this.fileBytes += Buffer.byteLength(data);
          }
          for (const s of batch.done) if (s >= this.state.lowWater) this.state.done.add(s);
          advance(this.state);
          if (batch.meta !== undefined) this.currentMeta = JSON.parse(batch.meta) as Record<string, unknown>;
          for (const w of batch.waiters) w.resolve();
        } catch (err) {
          // A failed write may have left a partial record: refuse further writes rather than risk
          // appending after it. Reopening the log recovers (the partial record is ignored).
          this.failed ??= err;
          for (const w of batch.waiters) w.reject(err);
          continue;
        }
        if (this.fileBytes > this.compactBytes && this.fileBytes > 4 * this.compactedBytes) {
          try {
            await this.compact();
          } catch (err) {
            this.failed ??= err; // the records written so far stay valid; later calls are refused
          }
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async compact(): Promise<void> {
    let text = record(`B ${this.state.lowWater}`);
    if (this.state.done.size > 0) text += record(`D ${encodeRanges(this.state.done)}`);
    if (this.currentMeta !== undefined) text += record(`M ${JSON.stringify(this.currentMeta)}`);
    await writeFileAtomic(this.dir, this.path, text);
    const old = this.handle;
    this.handle = await open(this.path, 'a');
    await old.close();
    this.fileBytes = Buffer.byteLength(text);
    this.compactedBytes = this.fileBytes;
  }
}
