// What a command gets from the outside world: streams, environment, and helpers to print for
// people (stderr, coloured on a TTY, credentials redacted). Commands never touch `process` directly.

import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './args.js';
import { parseJsonFile } from './config.js';
import { style, useColor, type Style } from './output.js';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** A command's entry point: parsed args in, exit code out (0 ok, 1 failures, 2 usage). */
export type CommandRun = (args: import('./args.js').ParsedArgs, io: Io) => Promise<number>;

/** Styles for stdout and stderr, each decided by its own stream. */
export function styles(io: Io): { out: Style; err: Style } {
  return { out: style(useColor(io.stdout, io.env)), err: style(useColor(io.stderr, io.env)) };
}

/** Reads a whole text file, or stdin for `-`; a missing file is a UsageError naming it. */
export async function readText(file: string, io: Io): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: file not found` : code === 'EISDIR' ? `${file}: is a folder, not a file` : `${file}: cannot read (${code ?? (err as Error).message})`);
  }
}

/** Reads a JSON file (or stdin for `-`); bad JSON is a UsageError with the file's line and column. */
export async function readJson(file: string, io: Io): Promise<unknown> {
  const text = await readText(file, io);
  return parseJsonFile(text, file === '-' ? '<stdin>' : file);
}
