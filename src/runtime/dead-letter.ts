// Dead letters: one record per failed item (or per processing error), handed to a sink callback,
// and their NDJSON line. The file writer behind `--dead-letter FILE` and its reader need Node's
// file system: they live in dead-letter-file.ts (the browser build has no file system).

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

/** A line of a dead-letter file that could not be read: its 1-based number and why. */
export interface BadLine {
  line: number;
  message: string;
}

/** The 1-based line a record was read from (a non-enumerable symbol key: never serialized). */
export const LINE: unique symbol = Symbol('cio-actions.dead-letter-line');
