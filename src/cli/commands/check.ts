// `cio-actions check FILE...`: compile-time diagnostics for .map and .fql files (folders are
// searched for them), rendered with source and caret, or as JSON for CI. Exit 1 on errors.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
// Public API names from their home modules, not ../../index.js (start-up; test/cli/public-api.test.ts).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { checkTrigger } from '../../evaluator/trigger.js';
import { checkMapping } from '../../mapping/map-source.js';
import { LINT_CONFIG_OPTION, segmentLintsWanted } from '../config.js';
import { watchLoop } from '../watch.js';
import { readText, styles, type CommandRun } from '../io.js';
import { countLabel, diagnosticRow, isSegmentLint, renderDiagnostics } from '../render.js';

export const spec: CommandSpec = {
  name: 'check',
  summary: 'Check .map and .fql files (or folders of them) and print every diagnostic.',
  usage: '[--format text|json] [--no-segment-lints] [--config FILE] FILE...',
  options: {
    watch: { type: 'boolean', short: 'w', description: 'run again whenever a file changes (Ctrl-C stops)' },
    format: { type: 'string', choices: ['text', 'json'], value: 'FORMAT', description: 'output format (json: one document for CI)' },
    'no-segment-lints': { type: 'boolean', description: "do not warn where Segment's own engine would answer differently (FQL3xx): for triggers that only this engine runs" },
    config: LINT_CONFIG_OPTION,
  },
  positionals: { min: 1, max: Infinity, name: 'at least one .map or .fql file' },
  details: 'Exit code: 0 no errors (warnings allowed), 1 some file has errors, 2 a file is missing or of an unknown kind.',
};

const KINDS = ['.map', '.fql'];

/** Expands folders into the .map/.fql files inside them (sorted, node_modules and dot-folders skipped). */
export async function expandFiles(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) await walk(full);
      } else if (KINDS.includes(path.extname(e.name).toLowerCase())) out.push(full);
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) await walk(input);
    else {
      if (!KINDS.includes(path.extname(input).toLowerCase())) throw new UsageError(`${input}: \`check\` reads .map and .fql files`);
      out.push(input);
    }
  }
  return out;
}

/** Diagnostics of one source, by file kind. */
export function diagnose(file: string, source: string): Diagnostic[] {
  return path.extname(file).toLowerCase() === '.fql' ? checkTrigger(source) : checkMapping(source, { filename: file });
}

export const run: CommandRun = async (args, io) => {
  if (args.options.watch === true) return watchLoop(args.positionals, io, () => runOnce(args, io));
  return runOnce(args, io);
};

const runOnce: CommandRun = async (args, io) => {
  const files = await expandFiles(args.positionals);
  if (files.length === 0) throw new UsageError(`no .map or .fql files in ${args.positionals.join(', ')}`);
  const json = args.options.format === 'json';
  const { out } = styles(io);
  const segmentLints = await segmentLintsWanted(args.options, io.env);
  let errors = 0;
  let warnings = 0;
  const rows: Array<Record<string, unknown>> = [];
  for (const file of files) {
    const source = await readText(file, io);
    let diagnostics = diagnose(file, source).filter((d) => segmentLints || !isSegmentLint(d));
    // several subscriptions in one file: what follows the second `target` cascades from it
    const second = diagnostics.find((d) => d.code === 'MAP003' && d.message === 'a second `target` header');
    if (second !== undefined) {
      const cascade = diagnostics.filter((d) => d !== second && d.span.start > second.span.start).length;
      diagnostics = diagnostics.filter((d) => d === second || d.span.start < second.span.start);
      if (cascade > 0) second.message += ` (${cascade} more diagnostic${cascade === 1 ? '' : 's'} after it not shown: they follow from it)`;
    }
    for (const d of diagnostics) d.severity === 'error' ? errors++ : warnings++;
    if (json) rows.push(...diagnostics.map((d) => diagnosticRow(file, d)));
    else if (diagnostics.length > 0) io.stdout.write(`${renderDiagnostics(source, diagnostics, { filename: file, color: out.color })}\n`);
  }
  if (json) io.stdout.write(`${JSON.stringify({ files: files.length, errors, warnings, diagnostics: rows }, null, 2)}\n`);
  else {
    const label = `${files.length} file${files.length === 1 ? '' : 's'} checked: ${countLabel(errors, warnings)}`;
    io.stdout.write(`${errors > 0 ? out.red(label) : warnings > 0 ? out.yellow(label) : out.green(label)}\n`);
  }
  return errors > 0 ? 1 : 0;
};
