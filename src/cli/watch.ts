// `--watch` for check and test: run once, then again whenever one of the given files (or a file
// in the given folders) changes. Watches folders, not files, so editors that save by rename work.

import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from './io.js';
import { styles } from './io.js';

/** Runs `once` now and after every change below `inputs`; never returns (Ctrl-C stops the process). */
export async function watchLoop(inputs: readonly string[], io: Io, once: () => Promise<number>): Promise<number> {
  const { err } = styles(io);
  const files = new Set<string>();
  const dirs = new Map<string, boolean>(); // folder → recursive
  for (const input of inputs) {
    const full = path.resolve(input);
    const info = await stat(full).catch(() => undefined);
    if (info?.isDirectory()) dirs.set(full, true);
    else {
      files.add(full);
      if (!dirs.has(path.dirname(full))) dirs.set(path.dirname(full), false);
    }
  }
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const rerun = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      io.stderr.write(`${err.dim(`--- ${new Date().toISOString().slice(11, 19)} ---`)}\n`);
      await once().catch((e: unknown) => io.stderr.write(`${err.red('error')}: ${(e as Error).message}\n`));
      io.stderr.write(`${err.dim(`watching ${inputs.join(', ')} (Ctrl-C to stop)`)}\n`);
    } while (again);
    running = false;
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, recursive] of dirs) {
    watchers.push(
      watch(dir, { recursive }, (_event, name) => {
        if (name === null) return;
        const full = path.resolve(dir, name.toString());
        if (!recursive && !files.has(full)) return;
        if (recursive && !/\.(map|fql)$/i.test(full)) return;
        clearTimeout(timer);
        timer = setTimeout(() => void rerun(), 100); // editors write a file in several steps
      }),
    );
  }
  await rerun();
  return new Promise<number>(() => undefined);
}
