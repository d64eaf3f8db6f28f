// Mapping date functions (mapping.md §3) on date-fns: to_unix to_iso format_date parse_date now.
// All in UTC. Format strings are checked when the mapping compiles (bad token → ArgumentError).

import type { format as Format } from 'date-fns/format';
import type { isValid as IsValid } from 'date-fns/isValid';
import type { parse as Parse } from 'date-fns/parse';
import { lazyRequire } from '../../lazy-require.js';
import type { ArgInfo, Closure, FunctionDef } from '../../evaluator/types.js';
import { ArgumentError, MappingRuntimeError } from '../../evaluator/types.js';
import { customRow, p, row } from './util.js';
import { toMillis } from '../../timestamps.js';

/**
 * date-fns, loaded on first use (its CommonJS build: the same code): its ~80 modules cost ~60 ms
 * of every start, and most mappings use no date function.
 */
let dateFns: { format: typeof Format; isValid: typeof IsValid; parse: typeof Parse } | undefined;
function fns(): NonNullable<typeof dateFns> {
  return (dateFns ??= {
    format: (lazyRequire('date-fns/format') as { format: typeof Format }).format,
    isValid: (lazyRequire('date-fns/isValid') as { isValid: typeof IsValid }).isValid,
    parse: (lazyRequire('date-fns/parse') as { parse: typeof Parse }).parse,
  });
}

// `YYYY`/`DD` (week-numbering year, day of year) are legal but almost always a mistake: the
// checker warns (dateFormatAdvice) and they still run as date-fns defines them.
const FORMAT_OPTIONS = { useAdditionalWeekYearTokens: true, useAdditionalDayOfYearTokens: true } as const;

function requireMillis(name: string, x: unknown): number {
  const ms = toMillis(x);
  if (ms === undefined || !fns().isValid(new Date(ms))) {
    throw new MappingRuntimeError(`${name}: ${JSON.stringify(x) ?? String(x)} is not a date (ISO-8601 or epoch seconds)`);
  }
  return ms;
}

/** A Date whose *local* fields show the UTC time of `ms` (date-fns formats in local time). */
function utcAsLocal(ms: number): Date {
  const d = new Date(ms);
  return new Date(ms + d.getTimezoneOffset() * 60000);
}

/** Checks a date-fns format string; returns the problem, or undefined when it formats. */
export function dateFormatProblem(fmt: string): string | undefined {
  try {
    fns().format(new Date(0), fmt, FORMAT_OPTIONS);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Advice for suspicious tokens (`YYYY`, `DD`, `YY`, `D`): one entry per kind found. */
export function dateFormatAdvice(fmt: string): Array<{ message: string; hint: string }> {
  // strip quoted literal text first ('…' in date-fns formats)
  const bare = fmt.replace(/'[^']*'/g, '');
  const out: Array<{ message: string; hint: string }> = [];
  const year = /Y+/.exec(bare);
  if (year) out.push({ message: `\`${year[0]}\` is the week-numbering year, which differs from the calendar year around New Year`, hint: `did you mean \`${year[0].toLowerCase()}\`?` });
  const day = /D+/.exec(bare);
  if (day) out.push({ message: `\`${day[0]}\` is the day of the year, not of the month`, hint: `did you mean \`${day[0].toLowerCase()}\`?` });
  return out;
}

/** The constant format argument (the evaluator guarantees a constant), checked once. */
function checkFormatArg(args: ArgInfo[], i: number): string {
  const a = args[i] as ArgInfo;
  if (typeof a.value !== 'string') throw new ArgumentError('the format must be a string', i);
  const problem = dateFormatProblem(a.value);
  if (problem) throw new ArgumentError(`bad date format: ${problem}`, i, dateFormatAdvice(a.value)[0]?.hint);
  return a.value;
}

export const toUnix = row(
  {
    name: 'to_unix',
    params: [p('x', 'datetime')],
    result: 'number',
    doc: 'Integer seconds since the epoch of an ISO-8601 string (zone-less = UTC) or epoch number/digits (≥ 10^11 read as milliseconds). Anything else fails the field.',
    examples: [
      { expr: 'to_unix("2024-05-01T12:00:00.000Z")', result: 1714564800 },
      { expr: 'to_unix("1714564800")', result: 1714564800 },
      { expr: 'to_unix(1714564800123)', result: 1714564800 },
      { expr: 'to_unix(properties.none)', event: {}, result: undefined },
    ],
  },
  (x) => (x === undefined ? undefined : Math.floor(requireMillis('to_unix', x) / 1000)),
);

export const toIso = row(
  {
    name: 'to_iso',
    params: [p('x', 'datetime')],
    result: 'string',
    doc: 'ISO-8601 UTC text (`2024-05-01T12:00:00.000Z`) of a date (ISO string or epoch). Anything else fails the field.',
    examples: [
      { expr: 'to_iso(1714564800)', result: '2024-05-01T12:00:00.000Z' },
      { expr: 'to_iso("2024-05-01")', result: '2024-05-01T00:00:00.000Z' },
    ],
  },
  (x) => (x === undefined ? undefined : new Date(requireMillis('to_iso', x)).toISOString()),
);

export const formatDate: FunctionDef = customRow(
  {
    name: 'format_date',
    params: [p('x', 'datetime'), p('format', 'string', { constant: true })],
    result: 'string',
    doc: 'Formats a date in UTC with a date-fns pattern (`yyyy-MM-dd`, `HH:mm`, `EEEE`); quote literal text with `\'`. Checked at compile time.',
    examples: [
      { expr: 'format_date("2024-05-01T12:30:00Z", "yyyy-MM-dd HH:mm")', result: '2024-05-01 12:30' },
      { expr: 'format_date(1714564800, "d MMM yyyy")', result: '1 May 2024' },
    ],
  },
  (args: ArgInfo[]): Closure => {
    const fmt = checkFormatArg(args, 1);
    const fx = (args[0] as ArgInfo).eval;
    return (event, scope) => {
      const v = fx(event, scope);
      if (v === undefined) return undefined;
      try {
        return fns().format(utcAsLocal(requireMillis('format_date', v)), fmt, FORMAT_OPTIONS);
      } catch (e) {
        if (e instanceof MappingRuntimeError) throw e;
        throw new MappingRuntimeError(`format_date: ${(e as Error).message}`);
      }
    };
  },
);

export const parseDate: FunctionDef = customRow(
  {
    name: 'parse_date',
    params: [p('s', 'string'), p('format', 'string', { constant: true })],
    result: 'string',
    doc: 'Reads a date written in a date-fns pattern (`dd/MM/yyyy`), as UTC, and gives its ISO-8601 text. Text that does not fit fails the field.',
    examples: [
      { expr: 'parse_date("25/03/2015", "dd/MM/yyyy")', result: '2015-03-25T00:00:00.000Z' },
      { expr: 'parse_date("nope", "dd/MM/yyyy") catch null', result: null },
    ],
  },
  (args: ArgInfo[]): Closure => {
    const fmt = checkFormatArg(args, 1);
    const fx = (args[0] as ArgInfo).eval;
    return (event, scope) => {
      const v = fx(event, scope);
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw new MappingRuntimeError('parse_date expects a string');
      let d: Date;
      try {
        d = fns().parse(v, fmt, new Date(0), FORMAT_OPTIONS);
      } catch (e) {
        throw new MappingRuntimeError(`parse_date: ${(e as Error).message}`);
      }
      if (!fns().isValid(d)) throw new MappingRuntimeError(`parse_date: ${JSON.stringify(v)} does not match "${fmt}"`);
      // date-fns parsed into local fields; read them back as UTC
      const ms = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
      return new Date(ms).toISOString();
    };
  },
);

export const now = row(
  {
    name: 'now',
    params: [],
    result: 'string',
    doc: 'The current time as ISO-8601 UTC text (read per event).',
    pure: false,
    examples: [{ expr: 'length(now())', result: 24 }],
  },
  () => new Date().toISOString(),
);

/** The date family. */
export const DATE_FUNCTIONS: readonly FunctionDef[] = [toUnix, toIso, formatDate, parseDate, now];
