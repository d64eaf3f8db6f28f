// The mapping function table: the FQL functions (same rows as triggers use) plus the mapping
// library of mapping.md §3, one family per file. The mapping compiler's lookupFunction reads it.

import { FQL_FUNCTIONS, lookupFqlFunction } from '../../evaluator/functions/index.js';
import type { FunctionDef } from '../../evaluator/types.js';
import { CONTROL_FUNCTIONS } from './control.js';
import { DATE_FUNCTIONS } from './dates.js';
import { JSON_FUNCTIONS } from './json.js';
import { JSONPATH_FUNCTIONS } from './jsonpath.js';
import { LIST_FUNCTIONS } from './lists.js';
import { OBJECT_FUNCTIONS } from './objects.js';
import { SEGMENT_FUNCTIONS } from './segment.js';
import { STRING_FUNCTIONS } from './strings.js';

/** The mapping library by family (documentation order), without the FQL functions. */
export const MAPPING_FAMILIES: Readonly<Record<string, readonly FunctionDef[]>> = Object.freeze({
  strings: STRING_FUNCTIONS,
  objects: OBJECT_FUNCTIONS,
  lists: LIST_FUNCTIONS,
  json: JSON_FUNCTIONS,
  dates: DATE_FUNCTIONS,
  control: CONTROL_FUNCTIONS,
  jsonpath: JSONPATH_FUNCTIONS,
  segment: SEGMENT_FUNCTIONS,
});

/** Every function callable in a .map file: mapping rows, then the FQL rows (no name appears twice). */
export const MAPPING_FUNCTIONS: readonly FunctionDef[] = Object.freeze([...Object.values(MAPPING_FAMILIES).flat(), ...FQL_FUNCTIONS]);

const byName = new Map<string, FunctionDef>();
for (const f of Object.values(MAPPING_FAMILIES).flat()) byName.set(f.name, f);

/** The function named exactly `name` in a .map file: the mapping library first, then FQL's. */
export function lookupMappingFunction(name: string): FunctionDef | undefined {
  return byName.get(name) ?? lookupFqlFunction(name);
}

/** All names callable in a .map file (for "did you mean"). */
export function mappingFunctionNames(): string[] {
  return MAPPING_FUNCTIONS.map((f) => f.name);
}
