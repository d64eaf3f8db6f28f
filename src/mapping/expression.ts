// One .map expression compiled on its own (REPL, `explain`, function examples): parse with the
// .map grammar, compile with the mapping context, run against an event with a fresh scope.

import { CompileError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseMapExpression } from '../parser/map.js';
import { MappingRuntimeError } from '../evaluator/types.js';
import { compileExpr } from '../evaluator/compile.js';
import { mappingContext } from './statements.js';
import { expressionWarnings } from './check.js';

/**
 * A compiled mapping expression: `undefined` is missing; a MappingRuntimeError is thrown for a
 * failing function. `warnings`: what the compiler noticed without refusing it (MAP201, ...).
 */
export type MappingExpression = ((event: unknown, variables?: Record<string, unknown>) => unknown) & { readonly warnings: readonly Diagnostic[] };

/** Compiles one `.map` expression (`lower(traits.email) ?? "none"`); throws CompileError. */
export function compileMappingExpression(source: string): MappingExpression {
  const parsed = parseMapExpression(source);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (!parsed.ast || hasErrors(diagnostics)) throw new CompileError(diagnostics);
  const closure = compileExpr(parsed.ast, mappingContext(diagnostics));
  if (hasErrors(diagnostics)) throw new CompileError(diagnostics);
  diagnostics.push(...expressionWarnings(parsed.ast));
  const run = (event: unknown, variables?: Record<string, unknown>): unknown => {
    const scope: Record<string, unknown> = Object.create(null);
    if (variables) for (const k of Object.keys(variables)) scope[k] = variables[k];
    return closure(event, scope);
  };
  return Object.assign(run, { warnings: Object.freeze(diagnostics.filter((d) => d.severity === 'warning')) });
}

export { MappingRuntimeError };
