// Compiles .map statements (`let`, field assignments with guards) into program steps, with the
// mapping CompileContext: FQL + mapping functions, and `extendMap` for the .map-only node kinds.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compileExpr } from '../evaluator/compile.js';
import type { CompileContext } from '../evaluator/types.js';
import type { AssignStmt, LetStmt } from '../parser/ast.js';
import { extendMap } from './extend.js';
import { lookupMappingFunction, mappingFunctionNames } from './functions/index.js';
import type { Step } from './program.js';

/** The CompileContext of .map expressions; diagnostics go to `sink`. */
export function mappingContext(sink: Diagnostic[]): CompileContext {
  return {
    lookupFunction: lookupMappingFunction,
    functionNames: mappingFunctionNames,
    extend: extendMap,
    report: (d) => sink.push(d),
    language: 'a .map expression',
  };
}

/** Compiles statements in order into steps; `withLines` records source lines (false for default mappings, which live in another file). */
export function compileStatements(statements: ReadonlyArray<AssignStmt | LetStmt>, ctx: CompileContext, withLines: boolean): Step[] {
  return statements.map((stmt): Step => {
    const value = compileExpr(stmt.value, ctx);
    const line = withLines ? stmt.span.line : undefined;
    const expr = stmt.value;
    if (stmt.kind === 'let') return line === undefined ? { kind: 'let', name: stmt.name, expr, value } : { kind: 'let', name: stmt.name, expr, value, line };
    const [field, ...path] = stmt.field as [string, ...string[]];
    const step: Step = { kind: 'assign', field, path, label: stmt.field.join('.'), expr, value };
    if (stmt.guard) step.guard = compileExpr(stmt.guard, ctx);
    if (line !== undefined) step.line = line;
    return step;
  });
}
