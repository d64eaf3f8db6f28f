// `cio-actions test FILE...`: runs the `example` blocks of .map files (folders are searched): the
// mapped fields and/or the request body against the expected JSON, with a field-level diff.

import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { ACTIONS, CompileError, compileMapping, createDestination, isActionKey, type MappingExample, type Subscription } from '../../index.js';
import { diffValues, formatDifference, type Difference } from '../diff.js';
import { watchLoop } from '../watch.js';
import { readText, styles, type CommandRun } from '../io.js';
import { renderDiagnostics } from '../render.js';
import { expandFiles } from './check.js';

export const spec: CommandSpec = {
  name: 'test',
  summary: 'Run the `example` blocks of .map files: expected fields and request bodies, with a field-level diff on failure.',
  usage: 'FILE... [--profile strict|segment]',
  options: {
    watch: { type: 'boolean', short: 'w', description: 'run again whenever a file changes (Ctrl-C stops)' },
    profile: { type: 'string', choices: ['strict', 'segment'], value: 'NAME', description: 'body profile for `body:` expectations (default strict)' },
  },
  positionals: { min: 1, max: Infinity, name: 'at least one .map file or folder' },
  details: 'Exit code: 0 every example passed, 1 an example failed or a file has errors, 2 usage.',
};

/** The outcome of one example: differences (empty = pass) or a reason it could not run. */
export interface ExampleOutcome {
  example: MappingExample;
  differences: Difference[];
  problems: string[];
}

/** Placeholder credentials: `test` builds bodies locally and never sends anything. */
const OFFLINE_SETTINGS = { siteId: 'example-site', apiKey: 'example-key' };

/**
 * An example may leave out fields that just carry the action's declared default (`convert_timestamp:
 * true`, `enable_batching: true`, `batch_size: 50`), as the spec's own examples do; a field it states
 * is always compared.
 */
function withoutUnstatedDefaults(sub: Subscription, expected: unknown, actual: object): object {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected) || !isActionKey(sub.action)) return actual;
  const schema = ACTIONS[sub.action].fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(actual)) {
    const declared = Object.hasOwn(schema, key) ? schema[key]?.default : undefined;
    if (!Object.hasOwn(expected, key) && declared !== undefined && declared === value) continue;
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Runs every example of `sub`. `body:` expectations go through a destination holding only `sub`. */
export function runExamples(sub: Subscription, profile: 'strict' | 'segment'): ExampleOutcome[] {
  const examples = sub.examples ?? [];
  const needsBody = examples.some((e) => e.body !== undefined);
  const destination = needsBody ? createDestination({ settings: OFFLINE_SETTINGS, presets: 'none', subscriptions: [sub], profile }) : undefined;
  return examples.map((example) => {
    const outcome: ExampleOutcome = { example, differences: [], problems: [] };
    if (example.fields === undefined && example.body === undefined) outcome.problems.push('the example has neither `fields:` nor `body:` to check');
    if (example.fields !== undefined) {
      const mapped = sub.map(example.input);
      if (mapped.ok) outcome.differences.push(...diffValues(example.fields, withoutUnstatedDefaults(sub, example.fields, mapped.fields), 'fields'));
      else for (const e of mapped.errors) outcome.problems.push(`mapping failed: ${e.field ? `${e.field}: ` : ''}${e.message}${e.line ? ` (line ${e.line})` : ''}`);
    }
    if (example.body !== undefined && destination) {
      if (!sub.trigger.matches(example.input)) outcome.problems.push(`the trigger does not match the input (${sub.trigger.source.replace(/\s+/g, ' ')})`);
      else if (typeof destination.processDetailed !== 'function') outcome.problems.push('this build of the library cannot build bodies (no processDetailed)');
      else {
        const result = destination.processDetailed(example.input);
        const item = result.items[0];
        for (const e of result.errors) outcome.problems.push(`request failed: ${e.field ? `${e.field}: ` : ''}${e.message}`);
        if (item) outcome.differences.push(...diffValues(example.body, item.request.body, 'body'));
        else if (result.errors.length === 0) outcome.problems.push('no request was built');
      }
    }
    return outcome;
  });
}

export const run: CommandRun = async (args, io) => {
  if (args.options.watch === true) return watchLoop(args.positionals, io, () => runOnce(args, io));
  return runOnce(args, io);
};

const runOnce: CommandRun = async (args, io) => {
  const files = (await expandFiles(args.positionals)).filter((f) => path.extname(f).toLowerCase() === '.map');
  if (files.length === 0) throw new UsageError(`no .map files in ${args.positionals.join(', ')}`);
  const profile = args.options.profile === 'segment' ? 'segment' : 'strict';
  const { out } = styles(io);
  let passed = 0;
  let failed = 0;
  let broken = 0;
  for (const file of files) {
    const source = await readText(file, io);
    let sub: Subscription;
    try {
      sub = compileMapping(source, { filename: file });
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      broken++;
      io.stdout.write(`${out.red('✗')} ${file}: does not compile\n${renderDiagnostics(source, e.diagnostics, { filename: file, color: out.color })}\n`);
      continue;
    }
    const outcomes = runExamples(sub, profile);
    if (outcomes.length === 0) io.stdout.write(`${out.yellow('-')} ${file}: no examples\n`);
    for (const o of outcomes) {
      const name = `${file}:${o.example.line} › ${o.example.title}`;
      if (o.differences.length === 0 && o.problems.length === 0) {
        passed++;
        io.stdout.write(`${out.green('✓')} ${name}\n`);
        continue;
      }
      failed++;
      io.stdout.write(`${out.red('✗')} ${name}\n`);
      for (const p of o.problems) io.stdout.write(`    ${out.red(p)}\n`);
      for (const d of o.differences) io.stdout.write(`    ${d.kind === 'changed' ? out.yellow(formatDifference(d)) : d.kind === 'missing' ? out.red(formatDifference(d)) : out.cyan(formatDifference(d))}\n`);
    }
  }
  const total = passed + failed;
  const summary = `${total} example${total === 1 ? '' : 's'}: ${passed} passed, ${failed} failed${broken > 0 ? `; ${broken} file${broken === 1 ? '' : 's'} with errors` : ''}`;
  io.stdout.write(`${failed + broken > 0 ? out.red(summary) : out.green(summary)}\n`);
  return failed + broken > 0 ? 1 : 0;
};
