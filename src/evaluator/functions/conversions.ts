// FQL type functions (fql.md §8): typeof and the conversions bool, string, number. Rows of the
// FQL function table; the conversion rules beyond D1's examples are the spec's engine decisions.

import { fqlTypeName } from '../value.js';
import type { FunctionDef } from '../types.js';
import { param, unaryRow } from './define.js';
import { formatNumber, parseNumberText } from './text.js';

export const typeOf: FunctionDef = unaryRow(
  {
    name: 'typeof',
    params: [param('v', 'any')],
    result: 'string',
    doc: 'The FQL type name: "string", "number", "bool", "list", "object" or "null" (missing is "null").',
    examples: [
      { expr: 'typeof("a")', result: 'string' },
      { expr: 'typeof(1.5)', result: 'number' },
      { expr: 'typeof(true)', result: 'bool' },
      { expr: 'typeof([1])', result: 'list' },
      { expr: 'typeof(properties)', event: { properties: {} }, result: 'object' },
      { expr: 'typeof(properties.nope)', event: {}, result: 'null' },
    ],
  },
  fqlTypeName,
);

export const bool: FunctionDef = unaryRow(
  {
    name: 'bool',
    params: [param('v', 'any')],
    result: 'bool',
    doc: 'bool → itself; null → false; number → v ≠ 0; string → v = "true"; list → non-empty; object → null.',
    examples: [
      { expr: 'bool(true)', result: true },
      { expr: 'bool(null)', result: false },
      { expr: 'bool(0)', result: false },
      { expr: 'bool("true")', result: true },
      { expr: 'bool("yes")', result: false },
      { expr: 'bool([])', result: false },
      { expr: 'bool(properties)', event: { properties: {} }, result: null },
    ],
  },
  (v) => {
    switch (typeof v) {
      case 'boolean':
        return v;
      case 'number':
        return Number.isNaN(v) ? false : v !== 0;
      case 'string':
        return v === 'true';
      case 'undefined':
        return false;
      default:
        if (v === null) return false;
        return Array.isArray(v) ? v.length > 0 : null;
    }
  },
);

export const string: FunctionDef = unaryRow(
  {
    name: 'string',
    params: [param('v', 'any')],
    result: 'string',
    doc: 'string → itself; number → shortest round-trip decimal; bool → "true"/"false"; null, list, object → null.',
    examples: [
      { expr: 'string(42)', result: '42' },
      { expr: 'string(1.5)', result: '1.5' },
      { expr: 'string(false)', result: 'false' },
      { expr: 'string("x")', result: 'x' },
      { expr: 'string([1])', result: null },
    ],
  },
  (v) => {
    switch (typeof v) {
      case 'string':
        return v;
      case 'number':
        return Number.isFinite(v) ? formatNumber(v) : null;
      case 'boolean':
        return v ? 'true' : 'false';
      case 'undefined':
        return undefined;
      default:
        return null;
    }
  },
);

export const number: FunctionDef = unaryRow(
  {
    name: 'number',
    params: [param('v', 'number | string')],
    result: 'number',
    doc: 'number → itself; a string holding a decimal literal (ASCII whitespace trimmed) → its value; anything else → null.',
    examples: [
      { expr: 'number("3")', result: 3 },
      { expr: 'number(" -2.5 ")', result: -2.5 },
      { expr: 'number("1e3")', result: null },
      { expr: 'number(7)', result: 7 },
      { expr: 'number(true)', result: null },
    ],
  },
  (v) => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'string') return parseNumberText(v);
    return v === undefined ? undefined : null;
  },
);
