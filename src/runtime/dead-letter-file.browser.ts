// The browser build's dead-letter file module (scripts/build-playground.ts puts it in place of
// dead-letter-file.ts): a page has no file system, so asking for a file is a clear error. Delivery
// without a file (`onDeadLetter`, or no dead letters at all) works as on Node.

import type { DeadLetterFile } from './dead-letter.js';

const unavailable = (what: string) => new Error(`${what} needs Node's file system, which the browser does not have; pass onDeadLetter instead`);

export function createDeadLetterFile(path: string, options: { append?: boolean } = {}): DeadLetterFile {
  void options;
  throw unavailable(`the dead-letter file ${path}`);
}

// eslint-disable-next-line require-yield
export async function* readDeadLetters(source: string | AsyncIterable<string> | Iterable<string>): AsyncGenerator<Record<string, unknown>> {
  void source;
  throw unavailable('reading dead letters');
}
