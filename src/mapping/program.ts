// Runs a compiled mapping for one event: `let`s in order, guarded field assignments (whole
// fields and dotted paths into object fields), then Segment's field typing (ajv). Never throws.

import type { Closure } from '../evaluator/types.js';
import { MappingRuntimeError } from '../evaluator/types.js';
import { isRecord } from '../evaluator/value.js';
import type { FieldValidator } from './field-validation.js';
import { copyRecord, setOwn } from './functions/util.js';
import type { FieldError, MapResult } from './subscription.js';

/** One compiled statement. `path` is empty for a whole-field assignment. */
export type Step =
  | { kind: 'let'; name: string; value: Closure; line?: number }
  | { kind: 'assign'; field: string; path: readonly string[]; label: string; value: Closure; guard?: Closure; line?: number };

function messageIdOf(event: unknown): string | undefined {
  if (!isRecord(event) || !Object.hasOwn(event, 'messageId')) return undefined;
  const id = event.messageId;
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
}

function errorText(e: unknown): string {
  if (e instanceof MappingRuntimeError) return e.message;
  if (e instanceof RangeError) return 'value is nested too deeply';
  return `internal error: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Sets `path` inside field `field` to `value`. Objects on the way are copied once per event
 * (`owned` remembers the copies), so event objects are never written to.
 */
function assignInto(fields: Record<string, unknown>, field: string, path: readonly string[], value: unknown, owned: Set<object>): void {
  let parent: Record<string, unknown> = fields;
  let key = field;
  for (const step of path) {
    let child = parent[key];
    if (!(isRecord(child) && owned.has(child))) {
      child = isRecord(child) ? copyRecord(child) : {};
      owned.add(child as object);
      setOwn(parent, key, child);
    }
    parent = child as Record<string, unknown>;
    key = step;
  }
  setOwn(parent, key, value);
}

/** Builds the `map(event)` function of a subscription from its steps and field validator. */
export function buildMapper(steps: readonly Step[], validate: FieldValidator, lineOf: (field: string) => number | undefined): (event: unknown) => MapResult {
  const hasDotted = steps.some((s) => s.kind === 'assign' && s.path.length > 0);
  return (event) => {
    const scope: Record<string, unknown> = Object.create(null);
    // root keys are action field keys (checked at compile time), never `__proto__`
    const fields: Record<string, unknown> = {};
    const owned = hasDotted ? new Set<object>() : undefined;
    let errors: FieldError[] | undefined;
    for (const step of steps) {
      try {
        if (step.kind === 'let') {
          scope[step.name] = step.value(event, scope);
          continue;
        }
        if (step.guard && step.guard(event, scope) !== true) continue;
        const v = step.value(event, scope);
        if (v === undefined) continue;
        if (step.path.length === 0) fields[step.field] = v;
        else assignInto(fields, step.field, step.path, v, owned as Set<object>);
      } catch (e) {
        const err: FieldError = { field: step.kind === 'let' ? `$${step.name}` : step.label, message: errorText(e) };
        if (step.line !== undefined) err.line = step.line;
        const id = messageIdOf(event);
        if (id !== undefined) err.messageId = id;
        (errors ??= []).push(err);
      }
    }
    if (errors) return { ok: false, errors };
    const problems = validate(fields);
    if (problems.length === 0) return { ok: true, fields };
    const id = messageIdOf(event);
    return {
      ok: false,
      errors: problems.map((p) => {
        const err: FieldError = { field: p.field, message: p.message };
        const line = lineOf(p.field);
        if (line !== undefined) err.line = line;
        if (id !== undefined) err.messageId = id;
        return err;
      }),
    };
  };
}
