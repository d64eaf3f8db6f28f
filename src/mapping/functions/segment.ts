// Functions that state mapping-kit's own semantics where they differ from .map's: what the
// Segment importer emits so an imported mapping behaves exactly as it does in Segment.

import type { FunctionDef } from '../../evaluator/types.js';
import { p, row } from './util.js';

/** mapping-kit's `@if blank` test: null, missing, or loosely equal (`==`) to `""`. Iterative on nested one-item lists. */
export function isSegmentBlank(value: unknown): boolean {
  let v = value;
  for (;;) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
    // `[] == ""` and `[x] == ""` when x stringifies to "" (JavaScript loose equality)
    if (!Array.isArray(v)) return false;
    if (v.length === 0) return true;
    if (v.length > 1) return false;
    v = Object.hasOwn(v, 0) ? v[0] : undefined;
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

/** The Segment-compatibility family. */
export const SEGMENT_FUNCTIONS: readonly FunctionDef[] = [segmentBlank];
