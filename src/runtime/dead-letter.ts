// Dead letters: one record per failed item (or per processing error), handed to a sink callback;
// this file also holds the NDJSON file writer behind `--dead-letter FILE` and its reader.

import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { TrackRequest } from '../actions/types.js';

/** Why an item (or an event) was not delivered, with what is needed to replay it. Never holds credentials. */
export interface DeadLetter {
  /** 0-based position of the event in the input (for a replayed entry: its original position). */
  index: number;
  /** The event's `messageId` when it is a string. */
  messageId: string | null;
  /** Subscription title, or null for an event-level failure. */
  subscription: string | null;
  action: string | null;
  /** `process`: mapping/validation failed, no request exists; `size`: the body exceeds the per-item limit; `send`: the API refused it or it could not be sent. */
  stage: 'process' | 'size' | 'send';
  /** The request as `process` built it (region URL), or null when none exists. */
  request: TrackRequest | null;
  batching: { enabled: boolean; size: number } | null;
  /** The original event, only when `request` is null (so it can be re-processed). */
  event?: unknown;
  /** Final HTTP status, or null (transport failure, local check). */
  status: number | null;
  reason: string;
  field?: string;
  /** True when the API may have received it anyway (a timeout, a dropped connection, an unreadable 207). */
  outcomeUnknown: boolean;
  /** HTTP attempts spent on it (0 when it was never sent). */
  attempts: number;
}

/** Receives dead letters; may be async (delivery awaits it, which also applies backpressure). */
export type DeadLetterSink = (letter: DeadLetter) => void | Promise<void>;

/** An NDJSON dead-letter file being written. */
export interface DeadLetterFile {
  readonly path: string;
  /** Lines handed to `write` so far. */
  readonly count: number;
  /** Lines known to be written to the file (a failed write leaves the rest unwritten). */
  readonly written: number;
  /** The sink to pass as `onDeadLetter`. */
  write: DeadLetterSink;
  /** Resolves once the file is open; rejects when it cannot be opened. */
  ready(): Promise<void>;
  /** Writes what is buffered and fsyncs: resolves when every line written so far is on disk. */
  sync(): Promise<void>;
  /** Flushes, fsyncs and closes the file. */
  close(): Promise<void>;
}

/** Serializes a dead letter as one JSON line; an event that cannot be serialized is replaced by a note. */
export function deadLetterLine(letter: DeadLetter): string {
  try {
    return JSON.stringify(letter);
  } catch {
    return JSON.stringify({ ...letter, event: null, reason: `${letter.reason} (event not serializable as JSON)` });
  }
}

/** Lines are written in chunks of about this many bytes; a writer waits while its chunk is written. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Opens `path` for dead letters (`append: false` truncates it). Lines are buffered and written in
 * chunks through one file handle; a writer whose line fills a chunk waits for it to be written,
 * so a slow disk slows delivery instead of buffering without bound (and no listener is added per
 * write). After a write error every later `write` throws it.
 */
export function createDeadLetterFile(path: string, options: { append?: boolean } = {}): DeadLetterFile {
  let handle: FileHandle | undefined;
  let failure: Error | undefined;
  const opened = open(path, options.append ? 'a' : 'w').then((h) => {
    handle = h;
  });
  opened.catch((err: Error) => void (failure ??= err)); // observed through ready()/write()
  let buffer: string[] = [];
  let bufferBytes = 0;
  let count = 0;
  let written = 0;
  let writing: Promise<void> | undefined;
  let closed = false;

  function drain(): Promise<void> {
    writing ??= (async () => {
      try {
        await opened;
        while (buffer.length > 0 && failure === undefined) {
          const lines = buffer;
          buffer = [];
          bufferBytes = 0;
          await handle!.writeFile(lines.join(''));
          written += lines.length;
        }
      } catch (err) {
        failure ??= err as Error;
      } finally {
        writing = undefined;
      }
    })();
    return writing;
  }

  return {
    path,
    get count() {
      return count;
    },
    get written() {
      return written;
    },
    async write(letter) {
      if (failure) throw failure;
      if (closed) throw new Error(`dead-letter file ${path} is closed`);
      count++;
      const line = `${deadLetterLine(letter)}\n`;
      buffer.push(line);
      bufferBytes += line.length;
      if (bufferBytes >= CHUNK_BYTES) await drain();
      if (failure) throw failure;
    },
    ready: () => opened,
    async sync() {
      while (buffer.length > 0 || writing !== undefined) await drain();
      if (failure) throw failure;
      await handle?.sync().catch((err: Error) => {
        failure ??= err;
      });
      if (failure) throw failure;
    },
    async close() {
      if (closed) {
        if (failure) throw failure;
        return;
      }
      try {
        while ((buffer.length > 0 && failure === undefined) || writing !== undefined) await drain();
        if (failure === undefined) await handle?.sync().catch((err: Error) => void (failure ??= err));
      } finally {
        closed = true;
        await opened.catch(() => undefined);
        await handle?.close().catch(() => undefined);
      }
      if (failure) throw failure;
    },
  };
}

/** A line of a dead-letter file that could not be read: its 1-based number and why. */
export interface BadLine {
  line: number;
  message: string;
}

/**
 * Reads dead letters from an NDJSON file (or lines). A line that is not a JSON object throws,
 * naming it, unless `onBadLine` is given: then it is reported there and skipped, so a damaged file
 * (a truncated last line after a crash) is read to its last good line.
 */
export async function* readDeadLetters(
  source: string | AsyncIterable<string> | Iterable<string>,
  options: { onBadLine?: (bad: BadLine) => void } = {},
): AsyncGenerator<Record<string, unknown> & { [LINE]?: number }> {
  const lines =
    typeof source === 'string' ? createInterface({ input: createReadStream(source, { encoding: 'utf8' }), crlfDelay: Infinity }) : source;
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    let problem: Error | undefined;
    try {
      value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) problem = new TypeError(`dead-letter line ${n} is not a JSON object`);
    } catch {
      problem = new SyntaxError(`dead-letter line ${n} is not valid JSON${n > 1 ? ' (a truncated or damaged line?)' : ''}`);
    }
    if (problem !== undefined) {
      if (options.onBadLine === undefined) throw problem;
      options.onBadLine({ line: n, message: problem.message });
      continue;
    }
    const rec = value as Record<string, unknown> & { [LINE]?: number };
    Object.defineProperty(rec, LINE, { value: n, enumerable: false });
    yield rec;
  }
}

/** The 1-based line a record was read from (a non-enumerable symbol key: never serialized). */
export const LINE: unique symbol = Symbol('cio-actions.dead-letter-line');
