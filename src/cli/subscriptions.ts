// Turns the configuration's subscription files into Subscription objects: `.map` files through
// compileMapping, Segment subscription JSON (one or a list) through importSegmentSubscription.

import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { CompileError, compileMapping, importSegmentSubscription, type SegmentSubscription, type Subscription } from '../index.js';
import { ConfigError, parseJsonFile, type SubscriptionFile } from './config.js';
import { renderDiagnostics } from './render.js';

/** The entries of a Segment subscription file: one object, a list, or `{ "subscriptions": [...] }`. */
export function segmentEntries(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (typeof doc === 'object' && doc !== null && Object.hasOwn(doc, 'subscriptions') && Array.isArray((doc as { subscriptions: unknown }).subscriptions)) {
    return (doc as { subscriptions: unknown[] }).subscriptions;
  }
  return [doc];
}

/**
 * Compiles every file; collects all problems (missing files, diagnostics rendered with source and
 * caret) and throws one ConfigError listing them, so a user fixes everything in one go.
 */
export async function loadSubscriptions(files: readonly SubscriptionFile[], color: boolean, presetTitles: readonly string[] = []): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  const origins: string[] = [];
  const problems: string[] = [];
  let details = '';
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(f.resolved, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(`${f.at}: ${code === 'ENOENT' ? `file not found: ${f.file} (looked for ${f.resolved})` : `cannot read ${f.file} (${code ?? 'error'})`}`);
      continue;
    }
    const shown = path.relative(process.cwd(), f.resolved) || f.file;
    try {
      if (f.file.toLowerCase().endsWith('.map')) {
        subscriptions.push(compileMapping(text, { filename: shown }));
        origins.push(`${f.at} (${shown})`);
      } else {
        const doc = parseJsonFile(text, shown);
        segmentEntries(doc).forEach((entry, i) => {
          try {
            subscriptions.push(importSegmentSubscription(entry as SegmentSubscription));
            origins.push(`${f.at} (${shown} entry ${i})`);
          } catch (err) {
            if (err instanceof CompileError) throw err;
            problems.push(`${f.at}: ${shown} entry ${i}: ${(err as Error).message}`);
          }
        });
      }
    } catch (err) {
      if (err instanceof CompileError) {
        const errors = err.diagnostics.filter((d) => d.severity === 'error').length;
        problems.push(`${f.at}: ${shown} has ${errors} error${errors === 1 ? '' : 's'}`);
        details += renderDiagnostics(text, err.diagnostics, { filename: shown, color });
      } else if (err instanceof ConfigError) problems.push(`${f.at}: ${err.message}`);
      else throw err;
    }
  }
  // Titles name subscriptions in dead letters and replays: two with one title would mix them up.
  const byTitle = new Map<string, string>(presetTitles.map((t) => [t, `the preset "${t}"`]));
  subscriptions.forEach((sub, i) => {
    const first = byTitle.get(sub.title);
    if (first !== undefined) problems.push(`${origins[i]}: the title "${sub.title}" is already used by ${first}; titles must be unique (dead letters and --replay name subscriptions by title)`);
    else byTitle.set(sub.title, origins[i]!);
  });
  if (problems.length > 0) throw new ConfigError(problems, details);
  return subscriptions;
}
