// The NDJSON dead-letter file behind `--dead-letter FILE` (writer) and its reader, on Node's file
// system. The browser build (scripts/build-playground.ts) puts dead-letter-file.browser.ts here.

import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { deadLetterLine, LINE, type BadLine, type DeadLetterFile } from './dead-letter.js';

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
      while ((buffer.length > 0 && failure === undefined) || writing !== undefined) await drain();
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
