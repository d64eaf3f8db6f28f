// Collects every output a run can produce (console, process.stdout/stderr writes, thrown errors,
// results, reports, dead letters, files, child-process streams) into one list of texts, so a
// secrets test can search all of it at once.

import { inspect } from 'node:util';
import { vi } from 'vitest';

export class OutputLog {
  readonly texts: Array<{ where: string; text: string }> = [];

  add(where: string, value: unknown): void {
    let text: string;
    if (typeof value === 'string') text = value;
    else {
      try {
        text = JSON.stringify(value) ?? String(value);
      } catch {
        text = '';
      }
      // util.inspect shows own non-enumerable properties and error causes/stacks that JSON drops
      text += `\n${inspect(value, { depth: 8, showHidden: true, maxStringLength: 200_000, maxArrayLength: 2_000 })}`;
    }
    this.texts.push({ where, text });
  }

  /** Adds a thrown value: name, message, stack, cause chain and own properties. */
  addError(where: string, err: unknown): void {
    if (err instanceof Error) {
      this.add(`${where} (message)`, `${err.name}: ${err.message}\n${err.stack ?? ''}`);
      this.add(`${where} (object)`, err);
      if (err.cause !== undefined) this.addError(`${where} (cause)`, err.cause);
    } else this.add(where, err);
  }

  /** Every place where one of `needles` appears: `where` and a short excerpt. */
  find(needles: readonly string[]): string[] {
    const hits: string[] = [];
    for (const { where, text } of this.texts) {
      for (const n of needles) {
        const at = text.indexOf(n);
        if (at >= 0) hits.push(`${where}: …${text.slice(Math.max(0, at - 60), at + n.length + 20)}…`);
      }
    }
    return hits;
  }

  get size(): number {
    return this.texts.reduce((sum, t) => sum + t.text.length, 0);
  }
}

/** Spies on console.* and process.stdout/stderr.write while `fn` runs; everything goes into `log`. */
export async function capturing<T>(log: OutputLog, where: string, fn: () => T | Promise<T>): Promise<T> {
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => log.add(`${where} console.${m}`, args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '))),
  );
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => (log.add(`${where} stdout`, String(chunk)), true)) as never);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => (log.add(`${where} stderr`, String(chunk)), true)) as never);
  try {
    return await fn();
  } finally {
    for (const s of [...spies, out, err]) s.mockRestore();
  }
}
