// Test helper: long-running `cio-actions` child processes (worker, serve) that print one
// {"listening": URL} line when ready; signals, exit codes and logs for the scenario tests.

import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from '../cli/helpers.js';

export interface Proc {
  name: string;
  child: ChildProcess;
  /** The URL of its /health, /ready, /metrics (or of the server). */
  url: string;
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `cio-actions ...args`; resolves once it printed {"listening": …} (rejects if it exits first). */
export async function startCli(name: string, args: readonly string[], env: Record<string, string> = {}, waitMs = 60_000): Promise<Proc> {
  const full: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CUSTOMERIO_')) full[k] = v;
  Object.assign(full, { NO_COLOR: '1' }, env);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${name} did not print {"listening"} within ${waitMs} ms; stderr:\n${err}`)), waitMs);
    const onData = () => {
      const m = /\{"listening":\s*"([^"]+)"\}/.exec(out);
      if (m) {
        clearTimeout(t);
        child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`${name} exited (${code}) before listening; stderr:\n${err}`));
    });
  });
  return { name, child, url, stderr: () => err, stdout: () => out, exited, kill: (s) => void child.kill(s) };
}

/** Polls `cond` every 50 ms until true, or throws naming `what` (generous: the machine is shared). */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
