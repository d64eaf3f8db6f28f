// Dead letters: one record per failed item (or per processing error), handed to a sink callback;
// this file also holds the NDJSON file writer behind `--dead-letter FILE` and its reader.

import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
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
  /** Lines written so far. */
  readonly count: number;
  /** The sink to pass as `onDeadLetter`. */
  write: DeadLetterSink;
  /** Resolves once the file is open; rejects when it cannot be opened. */
  ready(): Promise<void>;
  /** Flushes and closes the file. */
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

/**
 * Opens `path` for dead letters (`append: false` truncates it). Writes wait for the stream to
 * drain, so a slow disk slows delivery instead of buffering without bound.
 */
export function createDeadLetterFile(path: string, options: { append?: boolean } = {}): DeadLetterFile {
  const stream = createWriteStream(path, { flags: options.append ? 'a' : 'w', encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (err) => {
    failure = err;
  });
  let count = 0;
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('ready', () => resolve());
    stream.once('error', reject);
  });
  opened.catch(() => undefined); // observed through ready()/write()
  return {
    path,
    get count() {
      return count;
    },
    async write(letter) {
      if (failure) throw failure;
      count++;
      if (!stream.write(`${deadLetterLine(letter)}\n`)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (failure) throw failure;
    },
    ready: () => opened,
    async close() {
      if (failure) throw failure;
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** Reads dead letters from an NDJSON file (or lines); throws on a line that is not a JSON object, naming it. */
export async function* readDeadLetters(source: string | AsyncIterable<string> | Iterable<string>): AsyncGenerator<Record<string, unknown>> {
  const lines =
    typeof source === 'string' ? createInterface({ input: createReadStream(source, { encoding: 'utf8' }), crlfDelay: Infinity }) : source;
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch {
      throw new SyntaxError(`dead-letter line ${n} is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError(`dead-letter line ${n} is not a JSON object`);
    }
    yield value as Record<string, unknown>;
  }
}
