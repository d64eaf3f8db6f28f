// `cio-actions import-segment FILE.json`: a Segment subscription (or a list of them, e.g. a
// destination's presets) → `.map` text on stdout, or one file per subscription with --out-dir.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { CompileError, importSegmentSubscription, type SegmentSubscription } from '../../index.js';
import { readJson, styles, type CommandRun } from '../io.js';
import { renderDiagnostics } from '../render.js';
import { segmentEntries } from '../subscriptions.js';

export const spec: CommandSpec = {
  name: 'import-segment',
  summary: 'Convert Segment subscription JSON ({name, subscribe, partnerAction, mapping}) into .map text.',
  usage: 'FILE.json|- [--out-dir DIR]',
  options: {
    'out-dir': { type: 'string', short: 'o', value: 'DIR', description: 'write one .map file per subscription into DIR instead of printing' },
  },
  positionals: { min: 1, max: 1, name: 'one JSON file (a subscription, a list, or {"subscriptions": [...]})' },
  details: 'Exit code: 0 all converted, 1 some subscription could not be converted, 2 usage.',
};

/** A file name for a subscription title: lower-case words joined by `-` (ASCII only), or `subscription-N`. */
export function slug(title: string, index: number): string {
  const words = title.toLowerCase().match(/[a-z0-9]+/g);
  return words && words.length > 0 ? words.join('-').slice(0, 60) : `subscription-${index + 1}`;
}

export const run: CommandRun = async (args, io) => {
  const file = args.positionals[0] as string;
  const entries = segmentEntries(await readJson(file, io));
  if (entries.length === 0) throw new UsageError(`${file}: no subscription in the file`);
  const { err } = styles(io);
  const outDir = typeof args.options['out-dir'] === 'string' ? args.options['out-dir'] : undefined;
  const texts: string[] = [];
  const used = new Set<string>();
  let failed = 0;
  for (const [i, entry] of entries.entries()) {
    try {
      const sub = importSegmentSubscription(entry as SegmentSubscription);
      const text = sub.toMapSource().replace(/\n*$/, '\n');
      if (outDir === undefined) texts.push(text);
      else {
        let name = slug(sub.title, i);
        while (used.has(name)) name = `${name}-${i + 1}`;
        used.add(name);
        await mkdir(outDir, { recursive: true });
        const target = path.join(outDir, `${name}.map`);
        await writeFile(target, text);
        io.stderr.write(`wrote ${target}\n`);
      }
    } catch (e) {
      failed++;
      const label = `${file} entry ${i}`;
      if (e instanceof CompileError) io.stderr.write(renderDiagnostics(JSON.stringify(entry, null, 2), e.diagnostics, { filename: label, color: err.color }));
      else if (e instanceof Error && e.name !== 'NotAvailableError') io.stderr.write(`${label}: ${e.message}\n`);
      else throw e;
    }
  }
  if (texts.length > 0) io.stdout.write(texts.join('\n'));
  if (texts.length > 1) {
    // a .map file holds one subscription: `> all.map` would not check
    io.stderr.write(`${err.dim(`note: ${texts.length} subscriptions printed one after another; a .map file holds one: write one file each with --out-dir DIR`)}\n`);
  }
  return failed > 0 ? 1 : 0;
};
