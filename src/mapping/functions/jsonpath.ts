// Mapping `jsonpath(x, "<JSONPath>")` (mapping.md §3) via jsonpath-plus with script evaluation
// off (`eval: false`): filter/script expressions are rejected at compile time, never run.

import type { JSONPath as JsonPathFn, JSONPathOptions } from 'jsonpath-plus';
import { lazyRequire } from '../../lazy-require.js';
import type { ArgInfo, Closure, FunctionDef } from '../../evaluator/types.js';
import { ArgumentError, MappingRuntimeError } from '../../evaluator/types.js';
import { customRow, p } from './util.js';

/** jsonpath-plus, loaded on first use (its CommonJS build: the same code); few mappings use it. */
let jsonPathFn: typeof JsonPathFn | undefined;
function JSONPath(options: JSONPathOptions): unknown {
  return (jsonPathFn ??= (lazyRequire('jsonpath-plus') as { JSONPath: typeof JsonPathFn }).JSONPath)(options);
}

/** Why a JSONPath is refused, or undefined when it is acceptable. */
export function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('$')) return 'a JSONPath starts with `$`';
  // `?(…)` filters and `(…)` script steps would need evaluation, which is disabled
  if (/\?\(|\[\s*\(/.test(path)) return 'script and filter expressions (`?(…)`, `(…)`) are disabled';
  let depth = 0;
  for (const c of path) {
    if (c === '[') depth++;
    else if (c === ']' && --depth < 0) return 'unbalanced `]`';
  }
  if (depth !== 0) return 'unclosed `[`';
  try {
    JSONPath({ path, json: {}, eval: false, wrap: true });
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

function run(path: string, json: unknown): unknown[] {
  if (json === undefined || json === null || typeof json !== 'object') return [];
  try {
    const out = JSONPath({ path, json: json as object, eval: false, wrap: true }) as unknown;
    return Array.isArray(out) ? out : [];
  } catch (e) {
    throw new MappingRuntimeError(`jsonpath: ${(e as Error).message}`);
  }
}

export const jsonpath: FunctionDef = customRow(
  {
    name: 'jsonpath',
    params: [p('x', 'any'), p('path', 'string', { constant: true })],
    result: 'list',
    doc: 'Every value that the JSONPath selects in `x` (jsonpath-plus syntax, script evaluation disabled); always a list, empty when nothing matches.',
    examples: [
      { expr: 'jsonpath(properties, "$..sku")', event: { properties: { items: [{ sku: 'a' }, { sku: 'b' }] } }, result: ['a', 'b'] },
      { expr: 'jsonpath(properties, "$.none")', event: { properties: {} }, result: [] },
    ],
  },
  (args: ArgInfo[]): Closure => {
    // the path is a constant parameter (the evaluator rejects anything else), checked here once
    const [x, path] = args as [ArgInfo, ArgInfo];
    const fx = x.eval;
    if (typeof path.value !== 'string') throw new ArgumentError('the JSONPath must be a string', 1);
    const problem = jsonPathProblem(path.value);
    if (problem) throw new ArgumentError(`bad JSONPath: ${problem}`, 1);
    const text = path.value;
    return (event, scope) => run(text, fx(event, scope));
  },
);

/** The JSONPath family. */
export const JSONPATH_FUNCTIONS: readonly FunctionDef[] = [jsonpath];
