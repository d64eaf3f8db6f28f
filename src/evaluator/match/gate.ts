// Strategy `gate` (README.md): one trigger on its own (`Trigger.matches`). A trigger the `table`
// strategy can decide becomes a table of one; else its type/event requirement (requirement.ts) is
// checked first, on one or two own-field reads, and only then what it leaves (the residual).

import type { Expr } from '../../parser/ast.js';
import { compileExpr } from '../compile.js';
import { fqlFunctionNames, lookupFqlFunction } from '../functions/index.js';
import type { Closure } from '../types.js';
import { NOT_A_RECORD, readIndexField, readIndexFields, type Field, type IndexFields, type IndexKey } from './fields.js';
import { requirement } from './requirement.js';
import { buildClassTable, isTabulable, tableMatcher } from './table.js';

/** Compiles the conjuncts left to check once a trigger's type/event requirement holds. */
export function compileResidual(operands: Expr[], ast: Expr): Closure {
  const node: Expr = operands.length === 1 ? (operands[0] as Expr) : { kind: 'logical', op: 'and', operands, span: ast.span };
  // already compiled once without errors as part of the whole trigger: nothing to report
  return compileExpr(node, { lookupFunction: lookupFqlFunction, functionNames: fqlFunctionNames, report: () => undefined });
}

/**
 * The same predicate through a class table when it only compares type/event with literals, else
 * through the trigger's type/event requirement (requirement.ts), when it has one that decides or gates it: `type = "page"` becomes one own-field read and a Set test,
 * the Track Event preset a type test, then its fused `event` test.
 */
export function gate(ast: Expr, predicate: Closure): ((event: unknown) => boolean) | undefined {
  if (isTabulable(ast)) {
    // decided ahead for each class of type/event value (table.ts)
    const table = buildClassTable([{ index: 0, predicate, ast }]);
    if (table) return tableMatcher({ ...table, rows: table.rows.map((row) => row.length > 0) }, false);
  }
  const req = requirement(ast);
  if (!req || (!req.exact && !req.residual)) return undefined;
  const types = new Set(req.atoms.filter((a) => a.field === 'type').map((a) => a.value));
  const events = new Set(req.atoms.filter((a) => a.field === 'event').map((a) => a.value));
  const residual = req.residual ? compileResidual(req.residual, ast) : undefined;
  const only: Field | undefined = events.size === 0 ? 'type' : types.size === 0 ? 'event' : undefined;
  if (only) {
    // the usual gate reads one field: `type = "page"`, `event = "A" or event = "B"`
    const values = only === 'type' ? types : events;
    return (event) => {
      const v = readIndexField(event, only);
      if (v === NOT_A_RECORD || !values.has(v as IndexKey)) return false;
      return residual === undefined || residual(event, undefined) === true;
    };
  }
  const fields: IndexFields = { type: undefined, event: undefined }; // scratch, filled per call
  return (event) => {
    if (!readIndexFields(event, fields)) return false;
    if (!types.has(fields.type as IndexKey) && !events.has(fields.event as IndexKey)) return false;
    return residual === undefined || residual(event, undefined) === true;
  };
}

