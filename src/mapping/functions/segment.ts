// Functions that state mapping-kit's own semantics where they differ from .map's: what the
// Segment importer emits so an imported mapping behaves exactly as it does in Segment.

import type { FunctionDef } from '../../evaluator/types.js';
import { MappingRuntimeError } from '../../evaluator/types.js';
import { MAX_DEPTH, p, row } from './util.js';
import { ownIndex } from '../../evaluator/value.js';

/** mapping-kit's `@if blank` test: null, missing, or loosely equal (`==`) to `""`. Iterative on nested one-item lists. */
export function isSegmentBlank(value: unknown): boolean {
  let v = value;
  for (;;) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
    // `[] == ""` and `[x] == ""` when x stringifies to "" (JavaScript loose equality)
    if (!Array.isArray(v)) return false;
    if (v.length === 0) return true;
    if (v.length > 1) return false;
    v = ownIndex(v, 0);
  }
}

export const segmentBlank = row(
  {
    name: 'segment_blank',
    params: [p('x', 'any')],
    result: 'bool',
    doc: 'Segment `@if blank` test: true for missing, null, `""`, `0`, `false` and `[]` (JavaScript `x == ""`); `{}` is not blank. `.map`\'s own `?:` treats `0`/`false` as values and `{}` as blank.',
    examples: [
      { expr: 'segment_blank("")', result: true },
      { expr: 'segment_blank(0)', result: true },
      { expr: 'segment_blank({})', result: false },
      { expr: 'segment_blank("x")', result: false },
    ],
  },
  isSegmentBlank,
);

/**
 * JavaScript `String(x)` as mapping-kit's `{{ }}` placeholders render values (`value ?? ''`):
 * lists join their items with `,` (null items as ""), objects are `[object Object]`.
 */
export function segmentText(value: unknown, depth = 0): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) throw new MappingRuntimeError(`value is nested deeper than ${MAX_DEPTH} levels`);
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(segmentText(ownIndex(value, i), depth + 1));
    return parts.join(',');
  }
  if (typeof value === 'object') return '[object Object]';
  return String(value);
}

export const segmentTextRow = row(
  {
    name: 'segment_text',
    params: [p('x', 'any')],
    result: 'string',
    doc: "Text of a value as Segment's `@template` placeholders render it (JavaScript `String`): lists joined with commas, objects as `[object Object]`, null and missing as \"\". `.map` templates write lists and objects as JSON instead.",
    examples: [
      { expr: 'segment_text(["a@b.c"])', result: 'a@b.c' },
      { expr: 'segment_text([1, [2, null]])', result: '1,2,' },
      { expr: 'segment_text({ a: 1 })', result: '[object Object]' },
      { expr: 'segment_text(traits.none)', event: {}, result: '' },
    ],
  },
  (x) => segmentText(x),
);

/** liquidjs `stringify`: null and missing are "", lists concatenate their items' text, anything else is `String(x)`. */
export function liquidText(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) throw new MappingRuntimeError(`value is nested deeper than ${MAX_DEPTH} levels`);
    let out = '';
    for (let i = 0; i < value.length; i++) out += liquidText(ownIndex(value, i), depth + 1);
    return out;
  }
  return typeof value === 'object' ? '[object Object]' : String(value);
}

export const liquidTextRow = row(
  {
    name: 'liquid_text',
    params: [p('x', 'any')],
    result: 'string',
    doc: 'Text of a value as Liquid (`@liquid`) renders it: null and missing are "", lists concatenate their items, objects are `[object Object]`. Liquid string filters work on this text.',
    examples: [
      { expr: 'liquid_text(["a", 1, null, true])', result: 'a1true' },
      { expr: 'liquid_text(traits.none)', event: {}, result: '' },
      { expr: 'liquid_text(false)', result: 'false' },
    ],
  },
  (x) => liquidText(x),
);

export const liquidDefault = row(
  {
    name: 'liquid_default',
    params: [p('x', 'any'), p('fallback', 'any')],
    result: 'any',
    doc: 'Liquid\'s `default` filter: `fallback` when `x` is missing, null, false, "" or an empty list (`0` and `{}` are kept).',
    examples: [
      { expr: 'liquid_default(false, "d")', result: 'd' },
      { expr: 'liquid_default([], "d")', result: 'd' },
      { expr: 'liquid_default({}, "d")', result: {} },
      { expr: 'liquid_default(0, "d")', result: 0 },
    ],
  },
  (x, fallback) => {
    if (typeof x === 'string' || Array.isArray(x)) return x.length > 0 ? x : fallback;
    return x === undefined || x === null || x === false ? fallback : x;
  },
);

/** The Segment-compatibility family. */
export const SEGMENT_FUNCTIONS: readonly FunctionDef[] = [segmentBlank, segmentTextRow, liquidTextRow, liquidDefault];
