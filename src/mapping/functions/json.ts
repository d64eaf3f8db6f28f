// Mapping JSON functions (mapping.md §3): to_json and parse_json. parse_json fails (a
// MappingRuntimeError that `catch` handles) on bad text, as mapping-kit's `@json decode` hides.

import type { FunctionDef } from '../../evaluator/types.js';
import { MappingRuntimeError } from '../../evaluator/types.js';
import { p, row, toJsonText } from './util.js';

export const toJson = row(
  {
    name: 'to_json',
    params: [p('x', 'any')],
    result: 'string',
    doc: 'The JSON text of a value (missing stays missing). A value nested deeper than 256 levels is a field error.',
    examples: [
      { expr: 'to_json({ a: [1, "x"] })', result: '{"a":[1,"x"]}' },
      { expr: 'to_json("x")', result: '"x"' },
      { expr: 'to_json(properties.none)', event: {}, result: undefined },
    ],
  },
  toJsonText,
);

export const parseJson = row(
  {
    name: 'parse_json',
    params: [p('s', 'string')],
    result: 'any',
    doc: 'Parses JSON text. Bad text or a non-string fails the field: write `parse_json(x) catch x` to keep the input instead (what Segment\'s `@json decode` does).',
    examples: [
      { expr: 'parse_json("{\\"a\\": 1}")', result: { a: 1 } },
      { expr: 'parse_json("nope") catch "fallback"', result: 'fallback' },
      { expr: 'parse_json(properties.none)', event: {}, result: undefined },
    ],
  },
  (s) => {
    if (s === undefined) return undefined;
    if (typeof s !== 'string') throw new MappingRuntimeError(`parse_json expects a string, got ${s === null ? 'null' : typeof s}`);
    try {
      // JSON.parse defines `__proto__` as an own data key, never as a prototype
      return JSON.parse(s) as unknown;
    } catch (e) {
      throw new MappingRuntimeError(`parse_json: ${(e as Error).message}`);
    }
  },
);

/** The JSON family. */
export const JSON_FUNCTIONS: readonly FunctionDef[] = [toJson, parseJson];
