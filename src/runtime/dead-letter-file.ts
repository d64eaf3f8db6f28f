// The NDJSON dead-letter file behind `--dead-letter FILE` (writer) and its reader, on Node's file
// system. The browser build (scripts/build-playground.ts) puts dead-letter-file.browser.ts here.

import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { deadLetterLine, type DeadLetterFile } from './dead-letter.js';

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
