// A small argument parser for the command line: `--name value`, `--name=value`, boolean flags,
// `-h`, `--` and `-` (stdin). Each command declares its options; mistakes are UsageErrors (exit 2).

import { suggestion } from './suggest.js';

/** A mistake on the command line or in the configuration: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One-letter alias (`-e`). */
  short?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** Placeholder shown in help (`FILE`, `URL`). */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** One line, shown in `cio-actions --help`. */
  summary: string;
  /** The usage line after `cio-actions <name>`. */
  usage: string;
  /** Free text after the options in `--help`. */
  details?: string;
  options: Readonly<Record<string, OptionSpec>>;
  positionals: { min: number; max: number; name: string };
}

export interface ParsedArgs {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

/** Parses `argv` (the words after the command name) against `spec`. Throws UsageError. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: Record<string, string | boolean | undefined> = Object.create(null) as Record<string, string | boolean | undefined>;
  const positionals: string[] = [];
  let help = false;
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(spec.options)) if (o.short) byShort.set(o.short, name);

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word === '--help' || word === '-h') {
      help = true;
      continue;
    }
    if (word === '-' || !word.startsWith('-') || /^-\d/.test(word)) {
      positionals.push(word);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      name = eq === -1 ? word.slice(2) : word.slice(2, eq);
      inline = eq === -1 ? undefined : word.slice(eq + 1);
    } else {
      const long = byShort.get(word.slice(1));
      if (long === undefined) throw new UsageError(`unknown option \`${word}\` for \`${spec.name}\`${suggestion(word, [...byShort.keys()].map((k) => `-${k}`))}`);
      name = long;
    }
    const option = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (option === undefined) {
      throw new UsageError(`unknown option \`--${name}\` for \`${spec.name}\`${suggestion(`--${name}`, Object.keys(spec.options).map((k) => `--${k}`))}`);
    }
    if (option.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`option \`--${name}\` takes no value`);
      options[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next !== '--')) {
        throw new UsageError(`option \`--${name}\` needs a value${option.value ? ` (${option.value})` : ''}`);
      }
      value = next;
      i++;
    }
    if (option.choices && !option.choices.includes(value)) {
      throw new UsageError(
        `option \`--${name}\` must be one of ${option.choices.map((c) => `\`${c}\``).join(', ')}, not \`${value}\`${suggestion(value, option.choices)}`,
      );
    }
    if (options[name] !== undefined) throw new UsageError(`option \`--${name}\` given twice`);
    options[name] = value;
  }
  if (!help) {
    const { min, max, name } = spec.positionals;
    if (positionals.length < min) throw new UsageError(`\`${spec.name}\` needs ${name}`);
    if (positionals.length > max) {
      throw new UsageError(`\`${spec.name}\` takes ${max === 0 ? 'no arguments' : `at most ${max} ${name}`}, got \`${positionals.slice(max).join(' ')}\``);
    }
  }
  return { options, positionals, help };
}

/** The `--help` text of a command, generated from its spec so it cannot drift from the parser. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`Usage: cio-actions ${spec.name} ${spec.usage}`, '', spec.summary, ''];
  const rows: Array<[string, string]> = [];
  for (const [name, o] of Object.entries(spec.options)) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const choices = o.choices ? ` (${o.choices.join('|')})` : '';
    rows.push([flag, `${o.description}${choices}`]);
  }
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  lines.push('Options:');
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (spec.details) lines.push('', spec.details.trimEnd());
  return `${lines.join('\n')}\n`;
}
