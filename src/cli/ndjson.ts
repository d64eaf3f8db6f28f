// NDJSON in and out for `run`: a streaming line reader (constant memory, CRLF, BOM, huge lines
// cut off at a limit instead of buffered) and a buffered writer that respects backpressure.

import type { Writable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { UsageError } from './args.js';

/** One input line: its 1-based number and text (without the line break), or a line that was too long. */
export type Line = { line: number; text: string; tooLong?: undefined } | { line: number; tooLong: number; text?: undefined };

/** Lines longer than this are reported (`tooLong` = their byte count) rather than kept in memory. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const LF = 10;
const CR = 13;

/**
 * Splits a byte stream into lines, yielding them in batches (one batch per input chunk) so the
 * per-line cost stays a loop iteration rather than an async step. Splitting on the LF byte is
 * safe in UTF-8: no multi-byte sequence contains 0x0A.
 */
export async function* readLineBatches(
  rawInput: AsyncIterable<Buffer | string>,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<Line[]> {
  const input = asUtf8(rawInput);
  let parts: Buffer[] = []; // the unfinished line, across chunks
  let partBytes = 0;
  let overflow = false;
  let lineNo = 0;
  let first = true;

  const finish = (tail: Buffer | undefined): Line => {
    lineNo++;
    if (overflow) {
      const line: Line = { line: lineNo, tooLong: partBytes };
      overflow = false;
      partBytes = 0;
      return line;
    }
    let buf = tail ?? Buffer.alloc(0);
    if (parts.length > 0) {
      if (tail) parts.push(tail);
      buf = Buffer.concat(parts);
      parts = [];
    }
    partBytes = 0;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === CR) end--;
    let start = 0;
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3; // UTF-8 byte order mark
    }
    return { line: lineNo, text: buf.toString('utf8', start, end) };
  };

  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const batch: Line[] = [];
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(LF, start);
      const end = nl === -1 ? chunk.length : nl;
      const size = end - start;
      if (!overflow && partBytes + size > maxLineBytes) {
        overflow = true;
        parts = [];
      }
      partBytes += size;
      if (nl === -1) {
        if (!overflow && size > 0) parts.push(chunk.subarray(start, end));
        break;
      }
      batch.push(finish(overflow ? undefined : chunk.subarray(start, end)));
      start = nl + 1;
    }
    if (batch.length > 0) yield batch;
  }
  if (partBytes > 0 || overflow || parts.length > 0) yield [finish(undefined)];
}

/** The input is in an encoding that is not read (UTF-32): one error for the whole input (exit 2). */
export class InputEncodingError extends UsageError {
  constructor(readonly encoding: string) {
    super(`the input is ${encoding} (by its ${encoding.includes('BOM') ? 'byte order mark' : 'first bytes'}); save it as UTF-8 (or UTF-16) and run again`);
    this.name = 'InputEncodingError';
  }
}

/**
 * What the first bytes say the encoding is: a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE),
 * or, without one, the NUL pattern of an ASCII first character (JSON text starts with one), as in
 * RFC 4627 §3. Undefined means UTF-8.
 */
export function sniffEncoding(head: Uint8Array): 'utf-16le' | 'utf-16be' | 'UTF-32LE (BOM)' | 'UTF-32BE (BOM)' | 'UTF-32LE' | 'UTF-32BE' | undefined {
  const [a, b, c, d] = [head[0], head[1], head[2], head[3]];
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF-32LE (BOM)';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32BE (BOM)';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  if (head.length >= 4) {
    if (a !== 0 && b === 0 && c === 0 && d === 0) return 'UTF-32LE';
    if (a === 0 && b === 0 && c === 0 && d !== 0) return 'UTF-32BE';
    if (a !== 0 && b === 0 && c !== 0 && d === 0) return 'utf-16le';
    if (a === 0 && b !== 0 && c === 0 && d !== 0) return 'utf-16be';
  }
  return undefined;
}

/** The input as UTF-8 bytes: UTF-16 (with or without a BOM) is decoded on the fly, UTF-32 refused once. */
async function* asUtf8(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  let decoder: TextDecoder | undefined;
  const start = (bytes: Buffer): void => {
    const enc = sniffEncoding(bytes);
    if (enc === undefined) return;
    if (enc.startsWith('UTF-32')) throw new InputEncodingError(enc);
    decoder = new TextDecoder(enc); // drops the BOM itself; a broken pair becomes U+FFFD, then a JSON error on its line
  };
  for await (const raw of input) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    if (head !== undefined) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      chunk = head;
      head = undefined;
      start(chunk);
    }
    yield decoder ? Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8') : chunk;
  }
  if (head !== undefined && head.length > 0) {
    start(head);
    yield decoder ? Buffer.from(decoder.decode(head, { stream: true }), 'utf8') : head;
  }
  if (decoder) {
    const tail = decoder.decode();
    if (tail !== '') yield Buffer.from(tail, 'utf8');
  }
}

/** Line by line, for callers that do not care about batching. */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(input, maxLineBytes)) yield* batch;
}

/**
 * Buffers output lines and writes them in chunks of about `chunkSize` characters; `write`
 * returns a promise only when the stream asked us to wait (backpressure), so the common path
 * stays synchronous. A closed pipe (EPIPE, e.g. `| head`) sets `closed` instead of throwing.
 */
export class LineWriter {
  private buffer: string[] = [];
  private size = 0;
  closed = false;

  constructor(
    private readonly stream: Writable,
    private readonly chunkSize = 64 * 1024,
    /** `--pretty`: indent objects by this many spaces (the output is then JSON objects, not NDJSON). */
    private readonly indent?: number,
  ) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw err;
    });
  }

  /** Queues one line (a newline is added). */
  writeLine(text: string): Promise<void> | undefined {
    this.buffer.push(text, '\n');
    this.size += text.length + 1;
    return this.size >= this.chunkSize ? this.flush() : undefined;
  }

  /** Queues `JSON.stringify(value)` as one line. */
  writeJson(value: unknown): Promise<void> | undefined {
    return this.writeLine(JSON.stringify(value, null, this.indent));
  }

  /** Writes bytes that are already whole output lines (after what is buffered); resolves once the stream can take more. */
  writeBytes(bytes: Uint8Array): Promise<void> | undefined {
    const before = this.flush();
    if (this.closed || bytes.length === 0) return before;
    if (before !== undefined) return before.then(() => this.writeBytes(bytes));
    return this.stream.write(bytes) ? undefined : this.drain();
  }

  /** Writes what is buffered; resolves once the stream can take more. */
  flush(): Promise<void> | undefined {
    if (this.size === 0 || this.closed) {
      this.buffer = [];
      this.size = 0;
      return undefined;
    }
    const text = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (this.stream.write(text)) return undefined;
    return this.drain();
  }

  private drain(): Promise<void> {
    if (this.closed || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }

  /** Flushes and waits until everything written so far has been handed to the OS. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed || this.stream.destroyed) return;
    await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
  }
}
