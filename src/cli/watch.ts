// `--watch` for check, test and run: run once, then again whenever one of the given files (or a
// .map/.fql file in the given folders) changes. Watches folders, not files, so editors that save by
// rename work. `run` passes a function: its files (input, config, the config's subscriptions) are
// listed again after every run, so a subscription added to the config is watched from then on.

import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from './io.js';
import { styles } from './io.js';

/** Runs `once` now and after every change below `inputs`; never returns (Ctrl-C stops the process). */
export async function watchLoop(inputs: readonly string[] | (() => Promise<readonly string[]>), io: Io, once: () => Promise<number>): Promise<number> {
  const { err } = styles(io);
  const list = typeof inputs === 'function' ? inputs : async () => inputs;
  let watched: readonly string[] = [];
  let watchers: FSWatcher[] = [];
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const changed = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void rerun(), 100); // editors write a file in several steps
  };
  const rewatch = async (): Promise<void> => {
    const next = await list().catch(() => watched);
    if (next.length === watched.length && next.every((f, i) => f === watched[i])) return;
    for (const w of watchers) w.close();
    watched = next;
    watchers = await watchAll(next, changed);
  };
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
      await rewatch();
      io.stderr.write(`${err.dim(`watching ${watched.join(', ')} (Ctrl-C to stop)`)}\n`);
    } while (again);
    running = false;
  };
  await rerun();
  return new Promise<number>(() => undefined);
}

/** Watches the folders of `inputs`; `changed` is called for a change to a listed file, or to a .map/.fql file below a listed folder. */
async function watchAll(inputs: readonly string[], changed: () => void): Promise<FSWatcher[]> {
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
  const watchers: FSWatcher[] = [];
  for (const [dir, recursive] of dirs) {
    try {
      watchers.push(
        watch(dir, { recursive }, (_event, name) => {
          if (name === null) return;
          const full = path.resolve(dir, name.toString());
          if (files.has(full) || (recursive && /\.(map|fql)$/i.test(full))) changed();
        }),
      );
    } catch {
      // a folder that does not exist (yet): nothing to watch there
    }
  }
  return watchers;
}
