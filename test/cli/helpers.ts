// Spawns the built binary (package.json `bin`: the bundle dist/cli/cio-actions.js, built by `npm test`'s pretest) and collects
// its exit code, stdout and stderr; plus temp-folder helpers for config and event files.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The binary users run: package.json's `bin`. */
export const BIN = path.join(ROOT, (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['cio-actions']!);
export const EXAMPLES = path.join(ROOT, 'examples');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cio-actions ...args`; `input` is piped to stdin (stdin is closed otherwise). No colour, no CUSTOMERIO_* from the outer env. */
export function cli(args: readonly string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CUSTOMERIO_') && k !== 'FORCE_COLOR') env[k] = v;
  Object.assign(env, { NO_COLOR: '1', CIO_ACTIONS_HISTORY: '' }, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined); // the command may exit before reading all input
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh temporary folder with the given files (paths relative to it). */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cio-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Parses NDJSON output into objects (blank lines ignored). */
export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
