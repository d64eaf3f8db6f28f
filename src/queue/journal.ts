// The local on-disk journal: the single-process EventQueue behind `serve`. Appends go to segment
// files under `dir` with group commit (every append arriving while an fsync runs shares the next
// one); which events are finished lives in a ProgressLog (`done`), which were handed out in another
// (`handed`: after a crash those are the only possible duplicates, counted as `redelivered`).
// A segment is deleted once every event in it is done. Not-done events are held in memory (as JSON
// text) up to the configured limits; over them `append` rejects with QueueFullError.

import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DedupeWindow } from './dedupe.js';
import { openProgressLog, type ProgressLog } from './progress.js';
import { serialized } from './serialized.js';
import { encodeRecord, removeFile, scanSegments, segmentName, syncDir } from './segments.js';
import { QueueFullError, type AcceptedEvent, type EventQueue, type QueuedEvent, type QueueStats } from './types.js';

export interface JournalOptions {
  /** Folder of the journal (created). */
  dir: string;
  /** Not-done events held at most (default 1 000 000). */
  maxEvents?: number;
  /** Bytes of not-done events held at most (default 256 MiB); they are also held in memory. */
  maxBytes?: number;
  /** A new segment is started past this size (default 16 MiB). */
  segmentBytes?: number;
  /** An event whose `messageId` was accepted within this window is acknowledged, not queued again (default 10 min; 0 = off). */
  dedupeWindowMs?: number;
  /** Ids remembered at most for the window (default 1 000 000). */
  dedupeMaxIds?: number;
  /** Current time in ms (tests). */
  now?: () => number;
}

export interface JournalStats extends QueueStats {
  /** Appended events dropped as retries of an id inside the dedupe window. */
  deduplicated: number;
  /** Events handed out again after a restart (an earlier process may have sent them). */
  redelivered: number;
  /** Records found damaged at start (torn tails included). */
  damaged: number;
  /** Segment files on disk. */
  segments: number;
}

interface Segment {
  first: number;
  path: string;
  /** Not-done events in it. */
  live: number;
  /** Ids (with their receive time) written to it, for the dedupe window once it is deleted. */
  ids: Array<readonly [string, number]>;
  sealed: boolean;
}

interface Rec {
  json: string;
  bytes: number;
  seg: Segment;
  /** Hand-outs so far (1 after a restart when an earlier process handed it out). */
  handouts: number;
}

interface PendingRecord {
  seq: number;
  json: string;
  bytes: number;
  id: string | undefined;
  ms: number;
}

interface PendingWrite {
  text: string;
  recs: PendingRecord[];
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
  durable: Promise<void>;
}

const BATCH = 512;

export async function openJournal(options: JournalOptions): Promise<Journal> {
  const j = new Journal(options);
  await j.open();
  return j;
}

export class Journal implements EventQueue {
  private readonly dir: string;
  private readonly now: () => number;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly dedupe: DedupeWindow;
  private doneLog!: ProgressLog;
  private handedLog!: ProgressLog;
  private readonly recs = new Map<number, Rec>();
  private readonly segments: Segment[] = [];
  private tail!: Segment;
  private tailHandle!: FileHandle;
  private tailBytes = 0;
  private nextSeq = 0;
  /** Seqs below this are durable and may be handed out. */
  private visible = 0;
  private liveBytes = 0;
  private pendingEvents = 0;
  private pendingBytes = 0;
  private pending: PendingWrite | undefined;
  private writing: Promise<void> | undefined;
  private failed: unknown;
  private closed = false;
  private wake: Array<() => void> = [];
  private counters = { deduplicated: 0, redelivered: 0, damaged: 0 };

  constructor(options: JournalOptions) {
    this.dir = options.dir;
    this.now = options.now ?? Date.now;
    this.maxEvents = options.maxEvents ?? 1_000_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.segmentBytes = options.segmentBytes ?? 16 * 1024 * 1024;
    this.dedupe = new DedupeWindow(this.dir, options.dedupeWindowMs ?? 600_000, options.dedupeMaxIds ?? 1_000_000);
  }

  /** Recovers: done/handed logs, the dedupe window, every not-done record of every segment. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.doneLog = await openProgressLog(this.dir, 'done');
    this.handedLog = await openProgressLog(this.dir, 'handed');
    const now = this.now();
    await this.dedupe.open(now);
    let maxSeq = -1;
    for (const scanned of await scanSegments(this.dir)) {
      this.counters.damaged += scanned.damaged;
      const seg: Segment = { first: scanned.first, path: scanned.path, live: 0, ids: [], sealed: true };
      for (const r of scanned.records) {
        if (r.seq > maxSeq) maxSeq = r.seq;
        const id = messageIdOfJson(r.json);
        if (id !== undefined) {
          seg.ids.push([id, r.ms]);
          if (r.ms > now - this.dedupe.windowMs) this.dedupe.remember(id, r.ms, undefined);
        }
        if (this.doneLog.isDone(r.seq) || this.recs.has(r.seq)) continue;
        const handouts = this.handedLog.isDone(r.seq) ? 1 : 0;
        const bytes = Buffer.byteLength(r.json);
        this.recs.set(r.seq, { json: r.json, bytes, seg, handouts });
        seg.live++;
        this.liveBytes += bytes;
      }
      this.segments.push(seg);
    }
    this.nextSeq = Math.max(maxSeq + 1, this.doneLog.lowWater);
    // A damaged record inside the range was acknowledged once and cannot be read back: it is lost to
    // disk damage, not to a crash. Mark it done so progress is not stuck on it (counted in `damaged`).
    const unreadable: number[] = [];
    for (let s = this.doneLog.lowWater; s < this.nextSeq; s++) if (!this.recs.has(s) && !this.doneLog.isDone(s)) unreadable.push(s);
    if (unreadable.length > 0) await this.doneLog.markDone(unreadable);
    this.visible = this.nextSeq;
    // finished segments go first: the new tail may reuse the name of an empty one
    for (const seg of [...this.segments]) if (seg.live === 0) await this.dropSegment(seg);
    await this.startSegment();
  }

  stats(): JournalStats {
    return {
      depth: this.recs.size + this.pendingEvents,
      bytes: this.liveBytes + this.pendingBytes,
      deduplicated: this.counters.deduplicated,
      redelivered: this.counters.redelivered,
      damaged: this.counters.damaged,
      segments: this.segments.length,
    };
  }

  /** Whether the journal can take writes (false after an I/O error or close), for /ready. */
  get writable(): boolean {
    return !this.closed && this.failed === undefined;
  }

  append(events: readonly AcceptedEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    if (this.failed !== undefined) return Promise.reject(this.failed);
    const now = this.now();
    this.dedupe.expire(now);
    const fresh: Array<{ json: string; bytes: number; id: string | undefined }> = [];
    const waitFor: Array<Promise<void>> = [];
    const batchIds = new Set<string>();
    let bytes = 0;
    for (const e of events) {
      const id = typeof e.messageId === 'string' ? e.messageId : undefined;
      if (id !== undefined && this.dedupe.windowMs > 0) {
        const seen = batchIds.has(id) ? { durable: undefined } : this.dedupe.seen(id, now);
        if (seen !== undefined) {
          if (seen.durable) waitFor.push(seen.durable); // acknowledged only once the first copy is durable
          continue;
        }
        batchIds.add(id);
      }
      const { json, bytes: n } = serialized(e);
      bytes += n;
      fresh.push({ json, bytes: n, id });
    }
    const depth = this.recs.size + this.pendingEvents;
    if (fresh.length > 0 && (depth + fresh.length > this.maxEvents || this.liveBytes + this.pendingBytes + bytes > this.maxBytes)) {
      return Promise.reject(new QueueFullError(`the journal is full (${depth} events, ${this.liveBytes + this.pendingBytes} bytes; limits ${this.maxEvents} events, ${this.maxBytes} bytes)`, 1));
    }
    this.counters.deduplicated += events.length - fresh.length;
    if (fresh.length === 0) return Promise.all(waitFor).then(() => undefined);
    const p = this.pendingWrite();
    for (const { json, bytes: n, id } of fresh) {
      const seq = this.nextSeq++;
      p.text += encodeRecord(seq, now, json);
      p.recs.push({ seq, json, bytes: n, id, ms: now });
      if (id !== undefined) this.dedupe.remember(id, now, p.durable);
    }
    this.pendingEvents += fresh.length;
    this.pendingBytes += bytes;
    const mine = new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject }));
    if (this.writing === undefined) this.writing = this.flushLoop();
    return waitFor.length === 0 ? mine : Promise.all([mine, ...waitFor]).then(() => undefined);
  }

  async *read(signal?: AbortSignal): AsyncIterable<QueuedEvent> {
    let cursor = this.doneLog.lowWater;
    const onAbort = () => this.notify();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!this.closed && !signal?.aborted) {
        const chunk: Array<{ seq: number; rec: Rec }> = [];
        while (cursor < this.visible && chunk.length < BATCH) {
          const rec = this.recs.get(cursor);
          if (rec !== undefined) chunk.push({ seq: cursor, rec });
          cursor++;
        }
        if (chunk.length === 0) {
          await new Promise<void>((resolve) => this.wake.push(resolve));
          continue;
        }
        // Recorded before it is handed out: after a crash, only these can have been sent.
        await this.handedLog.markDone(chunk.filter((c) => c.rec.handouts === 0).map((c) => c.seq));
        for (const { seq, rec } of chunk) {
          if (!this.recs.has(seq)) continue; // finished meanwhile
          const redelivered = rec.handouts++;
          if (redelivered > 0) this.counters.redelivered++;
          yield { id: String(seq), event: JSON.parse(rec.json) as AcceptedEvent, redelivered };
          if (signal?.aborted || this.closed) return;
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async done(ids: readonly string[]): Promise<void> {
    const seqs: number[] = [];
    for (const id of ids) {
      const seq = Number(id);
      if (!Number.isSafeInteger(seq) || seq < 0 || seq >= this.visible) throw new RangeError(`journal: unknown event id ${JSON.stringify(id)}`);
      seqs.push(seq);
    }
    await this.doneLog.markDone(seqs);
    const emptied = new Set<Segment>();
    for (const seq of seqs) {
      const rec = this.recs.get(seq);
      if (rec === undefined) continue;
      this.recs.delete(seq);
      this.liveBytes -= rec.bytes;
      if (--rec.seg.live === 0 && rec.seg.sealed) emptied.add(rec.seg);
    }
    for (const seg of emptied) await this.dropSegment(seg);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing) await this.writing.catch(() => {});
    this.closed = true;
    this.notify();
    await this.tailHandle.close().catch(() => {});
    await this.doneLog.close();
    await this.handedLog.close();
    await this.dedupe.close();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  private pendingWrite(): PendingWrite {
    if (this.pending === undefined) {
      let settle!: { resolve: () => void; reject: (e: unknown) => void };
      const durable = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      durable.catch(() => {}); // observed by the waiters themselves
      this.pending = { text: '', recs: [], waiters: [settle], durable };
    }
    return this.pending;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const batch = this.pending;
        this.pending = undefined;
        const bytes = batch.recs.reduce((n, r) => n + r.bytes, 0);
        try {
          if (this.failed !== undefined) throw this.failed;
          if (this.tailBytes >= this.segmentBytes) await this.roll(batch.recs[0]!.seq);
          await this.tailHandle.appendFile(batch.text);
          await this.tailHandle.sync();
          this.tailBytes += Buffer.byteLength(batch.text);
          const seg = this.tail;
          for (const r of batch.recs) {
            this.recs.set(r.seq, { json: r.json, bytes: r.bytes, seg, handouts: 0 });
            if (r.id !== undefined) seg.ids.push([r.id, r.ms]);
          }
          seg.live += batch.recs.length;
          this.liveBytes += bytes;
          this.visible = batch.recs[batch.recs.length - 1]!.seq + 1;
          for (const w of batch.waiters) w.resolve();
          this.notify();
        } catch (err) {
          // The tail may now end in a partial record: refuse further appends (a restart recovers).
          this.failed ??= err;
          for (const w of batch.waiters) w.reject(err);
          const rest = this.pending as PendingWrite | undefined;
          this.pending = undefined;
          if (rest) {
            this.pendingEvents -= rest.recs.length;
            this.pendingBytes -= rest.recs.reduce((n, r) => n + r.bytes, 0);
            for (const w of rest.waiters) w.reject(err);
          }
        } finally {
          this.pendingEvents -= batch.recs.length;
          this.pendingBytes -= bytes;
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Seals the tail and starts a new segment at `first`. */
  private async roll(first: number): Promise<void> {
    const old = this.tail;
    await this.startSegment(first);
    if (old.live === 0) await this.dropSegment(old);
  }

  private async startSegment(first = this.nextSeq): Promise<void> {
    if (this.tailHandle !== undefined) {
      await this.tailHandle.close();
      this.tail.sealed = true;
    }
    const seg: Segment = { first, path: join(this.dir, segmentName(first)), live: 0, ids: [], sealed: false };
    this.tailHandle = await open(seg.path, 'a');
    await syncDir(this.dir);
    this.tail = seg;
    this.tailBytes = 0;
    this.segments.push(seg);
  }

  private async dropSegment(seg: Segment): Promise<void> {
    const i = this.segments.indexOf(seg);
    if (i < 0) return;
    this.segments.splice(i, 1);
    await this.dedupe.persist(seg.ids, this.now());
    await removeFile(seg.path);
  }
}

/** The messageId of a serialized event, without trusting its shape. */
function messageIdOfJson(json: string): string | undefined {
  try {
    const e: unknown = JSON.parse(json);
    const id = e !== null && typeof e === 'object' && Object.hasOwn(e, 'messageId') ? (e as { messageId: unknown }).messageId : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
