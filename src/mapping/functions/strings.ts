// Mapping string functions (mapping.md §3): lower upper trim split join substring truncate
// starts_with ends_with replace. Rows of the mapping function table; missing input → missing.

import type { ArgInfo, Closure, FunctionDef } from '../../evaluator/types.js';
import { ArgumentError } from '../../evaluator/types.js';
import { isRecord } from '../../evaluator/value.js';
import { aliasRow, lowercase, uppercase } from '../../evaluator/functions/strings.js';
import { customRow, p, row, scalarText } from './util.js';

/** `lower`/`upper` are FQL's `lowercase`/`uppercase` under their mapping names: one implementation (see there for the semantics). */
export const lower = aliasRow(lowercase, 'lower');
export const upper = aliasRow(uppercase, 'upper');

export const trim = row(
  {
    name: 'trim',
    params: [p('x', 'any')],
    result: 'any',
    doc: 'Removes leading and trailing white space from a string; other values are returned unchanged.',
    examples: [
      { expr: 'trim("  a b  ")', result: 'a b' },
      { expr: 'trim(traits.email)', event: { traits: { email: null } }, result: null },
    ],
  },
  (x) => (typeof x === 'string' ? x.trim() : x),
);

export const split = row(
  {
    name: 'split',
    params: [p('s', 'string'), p('separator', 'string')],
    result: 'list',
    doc: 'Splits a string at every occurrence of `separator` (plain text). A non-string gives null.',
    examples: [
      { expr: 'split("a,b,,c", ",")', result: ['a', 'b', '', 'c'] },
      { expr: 'split(properties.tags, ",")', event: { properties: {} }, result: undefined },
    ],
  },
  (s, sep) => {
    if (s === undefined) return undefined;
    if (typeof s !== 'string' || typeof sep !== 'string') return null;
    return s.split(sep);
  },
);

export const join = row(
  {
    name: 'join',
    params: [p('list', 'list'), p('separator', 'string', { optional: true })],
    result: 'string',
    doc: 'Joins the items of a list with `separator` (default ","): strings as they are, numbers and bools as text, null as "", objects and lists as JSON. A string is returned as is; other values give null.',
    examples: [
      { expr: 'join(["a", 1, true, null], "-")', result: 'a-1-true-' },
      { expr: 'join(properties.tags)', event: { properties: { tags: ['x', 'y'] } }, result: 'x,y' },
    ],
  },
  (list, sep = ',') => {
    if (list === undefined) return undefined;
    if (typeof list === 'string') return list;
    if (!Array.isArray(list) || typeof sep !== 'string') return null;
    const parts: string[] = [];
    for (const item of list) {
      const text = scalarText(item);
      if (text !== undefined) parts.push(text);
      else if (item === null || item === undefined) parts.push('');
      else {
        try {
          parts.push(JSON.stringify(item));
        } catch {
          parts.push('');
        }
      }
    }
    return parts.join(sep);
  },
);

/** Code points of a string (so surrogate pairs are never cut in half). */
function codePoints(s: string): string[] {
  return Array.from(s);
}

export const substring = row(
  {
    name: 'substring',
    params: [p('s', 'string'), p('start', 'number'), p('end', 'number', { optional: true })],
    result: 'string',
    doc: 'The characters (code points) from `start` up to, not including, `end` (default: the end); negative positions count from the end. A non-string gives null.',
    examples: [
      { expr: 'substring("abcdef", 1, 3)', result: 'bc' },
      { expr: 'substring("abcdef", -2)', result: 'ef' },
    ],
  },
  (s, start, end) => {
    if (s === undefined) return undefined;
    if (typeof s !== 'string' || typeof start !== 'number') return null;
    if (end !== undefined && typeof end !== 'number') return null;
    return codePoints(s).slice(Math.trunc(start), end === undefined ? undefined : Math.trunc(end)).join('');
  },
);

export const truncate = row(
  {
    name: 'truncate',
    params: [p('s', 'string'), p('length', 'number'), p('suffix', 'string', { optional: true })],
    result: 'string',
    doc: 'Cuts a string to at most `length` characters (code points); when cut, `suffix` (default "") is appended. A non-string is returned unchanged.',
    examples: [
      { expr: 'truncate("abcdef", 3)', result: 'abc' },
      { expr: 'truncate("abcdef", 3, "…")', result: 'abc…' },
      { expr: 'truncate("ab", 3, "…")', result: 'ab' },
    ],
  },
  (s, length, suffix = '') => {
    if (typeof s !== 'string' || typeof length !== 'number' || typeof suffix !== 'string') return s;
    const cps = codePoints(s);
    return cps.length <= length ? s : cps.slice(0, Math.max(0, Math.trunc(length))).join('') + suffix;
  },
);

const affixRow = (name: string, doc: string, test: (s: string, a: string) => boolean, examples: FunctionDef['examples']) =>
  row({ name, params: [p('s', 'string'), p('affix', 'string')], result: 'bool', doc, examples }, (s, a) =>
    typeof s === 'string' && typeof a === 'string' ? test(s, a) : false,
  );

export const startsWith = affixRow(
  'starts_with',
  'true when both are strings and `s` begins with `prefix` (case-sensitive); anything else is false.',
  (s, a) => s.startsWith(a),
  [
    { expr: 'starts_with("cio_123", "cio_")', result: true },
    { expr: 'starts_with(userId, "cio_")', event: {}, result: false },
  ],
);

export const endsWith = affixRow(
  'ends_with',
  'true when both are strings and `s` ends with `suffix` (case-sensitive); anything else is false.',
  (s, a) => s.endsWith(a),
  [{ expr: 'ends_with("jane@example.com", "@example.com")', result: true }],
);

interface ReplaceOptions {
  all: boolean;
  ignoreCase: boolean;
}

/** Reads `{ all, ignore_case }`; unknown keys or wrong types → message (for ArgumentError or null). */
function readReplaceOptions(value: unknown): ReplaceOptions | string {
  if (value === undefined) return { all: true, ignoreCase: false };
  if (!isRecord(value)) return 'options must be an object like { all: true, ignore_case: false }';
  const out: ReplaceOptions = { all: true, ignoreCase: false };
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (key !== 'all' && key !== 'ignore_case') return `unknown option \`${key}\` (options: all, ignore_case)`;
    if (typeof v !== 'boolean') return `option \`${key}\` must be true or false`;
    if (key === 'all') out.all = v;
    else out.ignoreCase = v;
  }
  return out;
}

/** Escapes a literal for a RegExp: the pattern is then plain text, so it cannot backtrack. */
function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function replaceText(s: string, find: string, replacement: string, o: ReplaceOptions): string {
  if (find === '') return s;
  if (!o.ignoreCase) return o.all ? s.split(find).join(replacement) : s.replace(find, () => replacement);
  // a function replacement keeps `$&`, `$1` … literal text
  return s.replace(new RegExp(escapeRegExp(find), o.all ? 'gi' : 'i'), () => replacement);
}

export const replace: FunctionDef = customRow(
  {
    name: 'replace',
    params: [p('x', 'string'), p('find', 'string'), p('with', 'string'), p('options', 'object', { optional: true })],
    result: 'string',
    doc: 'Replaces plain text (not a regex) `find` by `with`; options `{ all: true, ignore_case: false }` (defaults shown). Numbers and bools are replaced in their text; missing stays missing; other values give null.',
    examples: [
      { expr: 'replace("a-b-c", "-", "")', result: 'abc' },
      { expr: 'replace("a-b-c", "-", "+", { all: false })', result: 'a+b-c' },
      { expr: 'replace("Mr. X", "mr.", "", { ignore_case: true })', result: ' X' },
      { expr: 'replace(555, "5", "6")', result: '666' },
      { expr: 'replace("a.b", ".", "$&$&")', result: 'a$&$&b' },
    ],
  },
  (args: ArgInfo[]): Closure => {
    const [x, find, repl, opts] = args as [ArgInfo, ArgInfo, ArgInfo, ArgInfo | undefined];
    if (find.constant) {
      if (typeof find.value !== 'string') throw new ArgumentError('`find` must be a string', 1);
      if (find.value === '') throw new ArgumentError('`find` must not be empty', 1);
    }
    if (repl.constant && typeof repl.value !== 'string') throw new ArgumentError('`with` must be a string', 2);
    let fixed: ReplaceOptions | undefined = opts ? undefined : { all: true, ignoreCase: false };
    if (opts?.constant) {
      const read = readReplaceOptions(opts.value);
      if (typeof read === 'string') throw new ArgumentError(read, 3);
      fixed = read;
    }
    const fx = x.eval;
    const ff = find.eval;
    const fr = repl.eval;
    const fo = opts?.eval;
    return (event, scope) => {
      const value = fx(event, scope);
      if (value === undefined) return undefined;
      const text = scalarText(value);
      if (text === undefined) return null;
      const f = ff(event, scope);
      const r = fr(event, scope);
      if (typeof f !== 'string' || typeof r !== 'string') return null;
      const o = fixed ?? readReplaceOptions(fo?.(event, scope));
      if (typeof o === 'string') return null;
      return replaceText(text, f, r, o);
    };
  },
);

/** The string family, in documentation order. */
export const STRING_FUNCTIONS: readonly FunctionDef[] = [lower, upper, trim, split, join, substring, truncate, startsWith, endsWith, replace];
