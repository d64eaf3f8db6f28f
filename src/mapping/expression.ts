// One .map expression compiled on its own (REPL, `explain`, function examples): parse with the
// .map grammar, compile with the mapping context, run against an event with a fresh scope.

import { CompileError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseMapExpression } from '../parser/index.js';
import { MappingRuntimeError } from '../evaluator/types.js';
import { compileExpr } from '../evaluator/compile.js';
import { mappingContext } from './statements.js';

/** A compiled mapping expression: `undefined` is missing; a MappingRuntimeError is thrown for a failing function. */
export type MappingExpression = (event: unknown, variables?: Record<string, unknown>) => unknown;

/** Compiles one `.map` expression (`lower(traits.email) ?? "none"`); throws CompileError. */
export function compileMappingExpression(source: string): MappingExpression {
  const parsed = parseMapExpression(source);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (!parsed.ast || hasErrors(diagnostics)) throw new CompileError(diagnostics);
  const closure = compileExpr(parsed.ast, mappingContext(diagnostics));
  if (hasErrors(diagnostics)) throw new CompileError(diagnostics);
  return (event, variables) => {
    const scope: Record<string, unknown> = Object.create(null);
    if (variables) for (const k of Object.keys(variables)) scope[k] = variables[k];
    return closure(event, scope);
  };
}

export { MappingRuntimeError };
