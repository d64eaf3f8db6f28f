// `cio-actions explain FILE.map`: what a subscription really does: the action, the trigger (the
// file's or the action's default), the event paths it reads, and the effective mapping with defaults.

import type { CommandSpec } from '../args.js';
import { CompileError, compileMapping, type Subscription } from '../../index.js';
import { readText, styles, type CommandRun } from '../io.js';
import { renderDiagnostics } from '../render.js';

export const spec: CommandSpec = {
  name: 'explain',
  summary: 'Show the effective mapping of a .map file (defaults filled in), its trigger and the event paths it reads.',
  usage: 'FILE.map [--format text|json]',
  options: {
    format: { type: 'string', choices: ['text', 'json'], value: 'FORMAT', description: 'output format' },
  },
  positionals: { min: 1, max: 1, name: 'one .map file' },
  details: 'Exit code: 0 explained, 1 the file has errors, 2 usage.',
};

/** A path as written in FQL/.map (`properties.items`, `context.device.token`). */
export function formatPath(segments: readonly string[]): string {
  return segments.map((s, i) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `[${JSON.stringify(s)}]`)).join('');
}

/** The event paths a subscription reads: the trigger's, plus the mapping's when the library reports them. */
export function pathsRead(sub: Subscription): { trigger: string[]; mapping: string[] | undefined } {
  const unique = (paths: readonly (readonly string[])[]) => [...new Set(paths.map(formatPath))].sort();
  return { trigger: unique(sub.trigger.reads), mapping: sub.reads ? unique(sub.reads) : undefined };
}

export const run: CommandRun = async (args, io) => {
  const file = args.positionals[0] as string;
  const source = await readText(file, io);
  const { out, err } = styles(io);
  let sub: Subscription;
  try {
    sub = compileMapping(source, { filename: file });
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    io.stderr.write(renderDiagnostics(source, e.diagnostics, { filename: file, color: err.color }));
    return 1;
  }
  const reads = pathsRead(sub);
  const effective = sub.toMapSource().replace(/\n*$/, '\n');
  if (args.options.format === 'json') {
    const doc = { file, title: sub.title, action: sub.action, trigger: sub.trigger.source, reads, fields: sub.fields ?? null, source: effective };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${out.bold('file')}     ${file}`,
    `${out.bold('title')}    ${sub.title}`,
    `${out.bold('action')}   ${sub.action}`,
    `${out.bold('trigger')}  ${sub.trigger.source.replace(/\s*\n\s*/g, ' ')}`,
    `${out.bold('reads')}    trigger: ${reads.trigger.join(', ') || '(nothing)'}`,
  ];
  if (reads.mapping) lines.push(`         mapping: ${reads.mapping.join(', ') || '(nothing)'}`);
  if (sub.fields) {
    lines.push('', `${out.bold('fields')}   in execution order (with the \`let\` steps they use); ${out.dim('dim')} = the action's default mapping`);
    const width = Math.min(28, Math.max(...sub.fields.map((f) => f.field.length)));
    for (const f of sub.fields) {
      // a multi-line expression keeps its shape, indented under its first line
      const expr = f.expr.replace(/\n/g, `\n  ${' '.repeat(Math.max(width, f.field.length) + 3)}`);
      const text = f.let ? `let ${f.field} = ${expr}` : `${f.field.padEnd(width)} = ${expr}${f.guard ? ` when ${f.guard}` : ''}`;
      lines.push(`  ${f.origin === 'default' ? out.dim(text) : `${text}${f.line ? out.dim(`   # line ${f.line}`) : ''}`}`);
    }
    lines.push('');
  } else lines.push('', out.dim('# the effective mapping'), effective);
  io.stdout.write(`${lines.join('\n')}`);
  return 0;
};
