// One REPL session without any terminal: takes a complete input (an expression, a `let`, or a
// `:command`) and returns the text to print. The readline wiring lives in commands/repl.ts.

import { readFile } from 'node:fs/promises';
import type { Style } from '../output.js';
import { renderDiagnostics } from '../render.js';
import { didYouMean, suggestion } from '../suggest.js';
import { createEvaluator, type Evaluation, type Evaluator } from './evaluate.js';
import { actionTable, fieldFlags, fieldRows, findAction, functionTable, signature } from './tables.js';

/** The event the REPL starts with when none is given: a typical identified track call. */
export const SAMPLE_EVENT = Object.freeze({
  type: 'track',
  event: 'Order Completed',
  userId: 'u_ana',
  anonymousId: 'anon-5f1c2e',
  messageId: 'msg-sample',
  timestamp: '2024-06-03T09:05:00.000Z',
  properties: {
    order_id: 'ord-1001',
    total: 157.8,
    currency: 'eur',
    products: [
      { sku: 'CAM-01', name: 'Trail Camera', price: 129, quantity: 1 },
      { sku: 'SD-64', name: 'SD Card 64 GB', price: 14.45, quantity: 2 },
    ],
  },
  context: { library: { name: 'analytics.js', version: 'next-1.70.0' }, locale: 'en-US', page: { path: '/checkout', url: 'https://www.acme.example.com/checkout' } },
});

const COMMANDS: Record<string, string> = {
  ':help': 'this help',
  ':event': ':event — show the event; :event FILE [N] — load a JSON file (line N of NDJSON); :event {…} — inline JSON',
  ':functions': ':functions — list the built-in functions; :functions NAME — its doc and examples',
  ':fields': ':fields — list the actions; :fields ACTION — the fields a .map file can assign',
  ':lets': 'show the `let` definitions of this session',
  ':reset': 'forget every `let`',
  ':quit': 'leave (Ctrl-D works too)',
};

/** Renders a value for the terminal: compact JSON, pretty-printed when long. */
export function formatValue(value: unknown, s: Style): string {
  const compact = JSON.stringify(value);
  if (compact === undefined) return s.dim(String(value));
  const text = compact.length > 80 ? JSON.stringify(value, null, 2) : compact;
  if (typeof value === 'string') return s.green(text);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return s.yellow(text);
  return text;
}

/** Counts what is still open in an input: brackets, an unfinished `case`, or a trailing operator. */
export function isIncomplete(text: string): boolean {
  let depth = 0;
  let quote = '';
  let cases = 0;
  let word = '';
  const flushWord = () => {
    if (word === 'case') cases++;
    else if (word === 'end') cases--;
    word = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '#') {
      flushWord();
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      word += c;
      continue;
    }
    flushWord();
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  flushWord();
  if (quote !== '' || depth > 0 || cases > 0) return true;
  const trimmed = text.replace(/#[^\n"']*$/, '').trimEnd();
  return /(\b(and|or|then|else|when|as|in|catch|case|if)|\?\?|\?:|[|,=<>!:])$/.test(trimmed) && !/^\s*:/.test(text);
}

export interface SessionOptions {
  style: Style;
  event?: unknown;
  eventLabel?: string;
}

/** A REPL session: current event, `let`s, and the command table. */
export class ReplSession {
  event: unknown;
  eventLabel: string;
  readonly evaluator: Evaluator;
  private readonly s: Style;

  constructor(options: SessionOptions) {
    this.s = options.style;
    this.event = options.event ?? SAMPLE_EVENT;
    this.eventLabel = options.eventLabel ?? 'a sample Order Completed event';
    this.evaluator = createEvaluator();
  }

  /** The greeting printed once at start. */
  banner(): string {
    return `cio-actions repl: type an FQL condition or a mapping expression to evaluate it against the event; :help for commands.\nevent: ${this.eventLabel}\n`;
  }

  /** Handles one complete input; returns the text to print ('' for nothing) and whether to quit. */
  async handle(input: string): Promise<{ output: string; quit?: boolean }> {
    const text = input.trim();
    if (text === '') return { output: '' };
    if (text.startsWith(':')) return this.command(text);
    if (/^let\s/.test(text)) return { output: this.show(this.evaluator.define(text)) };
    return { output: this.show(this.evaluator.evaluate(text, this.event)) };
  }

  private show(e: Evaluation): string {
    const warnings = 'warnings' in e && e.warnings && e.source !== undefined ? renderDiagnostics(e.source, e.warnings, { filename: '<repl>', color: this.s.color }) : '';
    return warnings + this.showValue(e);
  }

  private showValue(e: Evaluation): string {
    switch (e.kind) {
      case 'value':
        return `${formatValue(e.value, this.s)}\n`;
      case 'missing':
        return `${this.s.dim('missing')}${e.hint ? this.s.dim(`  (${e.hint})`) : ''}\n`;
      case 'defined':
        return `${this.s.dim(`defined ${e.name}`)}\n`;
      case 'runtime-error':
        return `${this.s.red('error')}: ${e.message}\n`;
      case 'diagnostics':
        return renderDiagnostics(e.source, e.diagnostics, { filename: '<repl>', color: this.s.color });
    }
  }

  private async command(text: string): Promise<{ output: string; quit?: boolean }> {
    const space = text.search(/\s/);
    const name = space === -1 ? text : text.slice(0, space);
    const arg = space === -1 ? '' : text.slice(space + 1).trim();
    switch (name) {
      case ':help':
      case ':h':
        return { output: this.help() };
      case ':quit':
      case ':q':
      case ':exit':
        return { output: '', quit: true };
      case ':event':
      case ':e':
        return { output: await this.eventCommand(arg) };
      case ':functions':
      case ':f':
        return { output: this.functions(arg) };
      case ':fields':
        return { output: this.fields(arg) };
      case ':lets':
        return { output: this.evaluator.lets.length === 0 ? `${this.s.dim('no `let` yet')}\n` : `${this.evaluator.lets.join('\n')}\n` };
      case ':reset':
        this.evaluator.reset();
        return { output: `${this.s.dim('forgot every `let`')}\n` };
      default:
        return { output: `${this.s.red('error')}: unknown command \`${name}\`${suggestion(name, Object.keys(COMMANDS))}; :help lists them\n` };
    }
  }

  private help(): string {
    const rows = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(12)}${v}`);
    return `Type an expression to evaluate it against the current event, for example:
  type = "track" and event = "Order Completed"       a trigger: true or false
  properties.products[*].sku                         a path (missing paths print \`missing\`)
  "{{ userId }} bought {{ count(properties.products) }} items"
  let $total = number(properties.total)              defines $total for the next inputs
An unfinished input (open bracket, trailing operator, \`case\` without \`end\`) continues on the next line.

Commands:
${rows.join('\n')}
`;
  }

  private async eventCommand(arg: string): Promise<string> {
    if (arg === '') return `${this.s.dim(`# ${this.eventLabel}`)}\n${JSON.stringify(this.event, null, 2)}\n`;
    if (arg.startsWith('{')) {
      try {
        this.event = JSON.parse(arg) as unknown;
        this.eventLabel = 'inline JSON';
        return `${this.s.dim('event replaced')}\n`;
      } catch (e) {
        return `${this.s.red('error')}: invalid JSON: ${(e as Error).message}\n`;
      }
    }
    const m = /^(.*?)(?:\s+(\d+))?$/.exec(arg);
    const file = m?.[1] ?? arg;
    const lineNo = m?.[2] === undefined ? undefined : Number(m[2]);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return `${this.s.red('error')}: ${file}: ${code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? 'error'})`}\n`;
    }
    try {
      const loaded = loadEvent(text, lineNo);
      this.event = loaded.event;
      this.eventLabel = `${file}${loaded.line ? ` line ${loaded.line}` : ''}`;
      return `${this.s.dim(`event: ${this.eventLabel}`)}\n`;
    } catch (e) {
      return `${this.s.red('error')}: ${file}: ${(e as Error).message}\n`;
    }
  }

  private functions(arg: string): string {
    const table = functionTable();
    if (arg === '') {
      const width = Math.max(...table.map((f) => f.name.length)) + 2;
      return `${table.map((f) => `  ${this.s.cyan(f.name.padEnd(width))}${f.doc.split('\n')[0]}`).join('\n')}\n${this.s.dim(':functions NAME for a signature and examples')}\n`;
    }
    const f = table.find((row) => row.name === arg);
    if (!f) return `${this.s.red('error')}: no function \`${arg}\`${suggestion(arg, table.map((row) => row.name))}\n`;
    const examples = f.examples.map((x) => `  ${x.expr}  ${this.s.dim('→')} ${x.result === undefined ? this.s.dim('missing') : formatValue(x.result, this.s)}`);
    return `${this.s.bold(signature(f))}\n${f.doc}\n${examples.length > 0 ? `Examples:\n${examples.join('\n')}\n` : ''}`;
  }

  private fields(arg: string): string {
    const actions = actionTable();
    const keys = Object.keys(actions);
    if (arg === '') {
      const width = Math.max(...keys.map((k) => k.length)) + 2;
      return `${keys.map((k) => `  ${this.s.cyan(k.padEnd(width))}${actions[k]?.title ?? ''}`).join('\n')}\n${this.s.dim(':fields ACTION for its fields')}\n`;
    }
    const action = findAction(arg);
    if (!action) return `${this.s.red('error')}: no action \`${arg}\`${suggestion(arg, keys)}\n`;
    const fields = fieldRows(action);
    const width = Math.max(...fields.map((f) => f.key.length)) + 2;
    const rows = fields.map((f) => {
      return `  ${this.s.cyan(f.key.padEnd(width))}${f.label} ${this.s.dim(`(${fieldFlags(f)})`)}`;
    });
    return `${this.s.bold(`${action.key}: ${action.title}`)}\n${action.description}\ndefault trigger: ${action.defaultTrigger.replace(/\s+/g, ' ')}\n${rows.join('\n')}\n`;
  }

  /** Completions for readline's tab key: commands, function names, action keys. */
  complete(line: string): [string[], string] {
    const word = /[:$A-Za-z_][A-Za-z0-9_]*$/.exec(line)?.[0] ?? '';
    if (word === '') return [[], ''];
    const pool = word.startsWith(':')
      ? Object.keys(COMMANDS)
      : /^:fields\s/.test(line)
        ? Object.keys(actionTable())
        : functionTable().map((f) => f.name);
    const hits = pool.filter((c) => c.startsWith(word)).sort();
    return [hits.length > 0 ? hits : [didYouMean(word, pool) ?? ''].filter(Boolean), word];
  }
}

/** Reads an event from a file's text: a JSON document, or line `lineNo` (1-based) of NDJSON (default: the first). */
export function loadEvent(text: string, lineNo?: number): { event: unknown; line?: number } {
  if (lineNo === undefined) {
    try {
      return { event: JSON.parse(text) as unknown };
    } catch {
      /* NDJSON: fall through to the first line */
    }
  }
  const lines = text.split('\n');
  const wanted = lineNo ?? lines.findIndex((l) => l.trim() !== '') + 1;
  const line = lines[wanted - 1];
  if (line === undefined || line.trim() === '') throw new Error(`no event on line ${wanted}`);
  try {
    return { event: JSON.parse(line) as unknown, line: wanted };
  } catch (e) {
    throw new Error(`line ${wanted}: invalid JSON: ${(e as Error).message}`);
  }
}
