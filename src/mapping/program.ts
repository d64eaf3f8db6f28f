// Runs a compiled mapping for one event: `let`s in order, guarded field assignments (whole
// fields and dotted paths into object fields), then Segment's field typing (ajv). Never throws.

import type { Closure } from '../evaluator/types.js';
import { MappingRuntimeError } from '../evaluator/types.js';
import { isRecord } from '../evaluator/value.js';
import { constantOf } from '../evaluator/compile.js';
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

const LET = 0;
const ASSIGN = 1;
const DOTTED = 2;

/**
 * A step as the mapper runs it. One class, so every op has the same hidden class and the hot loop
 * reads its properties monomorphically; constants are stored, not called.
 */
class Op {
  constructor(
    readonly kind: typeof LET | typeof ASSIGN | typeof DOTTED,
    /** Variable name (let) or top-level field. */
    readonly name: string,
    readonly path: readonly string[],
    readonly label: string,
    readonly value: Closure,
    readonly guard: Closure | undefined,
    readonly line: number | undefined,
    readonly accepts: (value: unknown) => boolean,
    /** 1 string, 2 object, 3 boolean: checked inline; 0: call `accepts`. */
    readonly typeCode: number,
    readonly isConstant: boolean,
    readonly constant: unknown,
  ) {}
}

const always = () => true;

function toOp(step: Step, validator: FieldValidator): Op | undefined {
  const c = constantOf(step.value);
  if (step.kind === 'let') return new Op(LET, step.name, [], `$${step.name}`, step.value, undefined, step.line, always, 0, c !== undefined, c?.value);
  // `omit` (a constant missing value) never writes anything: no op at all
  if (c !== undefined && c.value === undefined) return undefined;
  const kind = step.path.length > 0 ? DOTTED : ASSIGN;
  const accepts = kind === ASSIGN ? validator.accepts(step.field) : always;
  const plain = kind === ASSIGN ? validator.plainType(step.field) : undefined;
  const typeCode = plain === 'string' ? 1 : plain === 'object' ? 2 : plain === 'boolean' ? 3 : 0;
  return new Op(kind, step.field, step.path, step.label, step.value, step.guard, step.line, accepts, typeCode, c !== undefined, c?.value);
}

/** Builds the `map(event)` function of a subscription from its steps and field validator. */
export function buildMapper(program: readonly Step[], validator: FieldValidator, lineOf: (field: string) => number | undefined): (event: unknown) => MapResult {
  const ops = program.map((s) => toOp(s, validator)).filter((o): o is Op => o !== undefined);
  const n = ops.length;
  const hasDotted = ops.some((o) => o.kind === DOTTED);
  // variables live in a per-event scope; a program without `let` needs none (`each` makes its own)
  const hasLets = ops.some((o) => o.kind === LET);

  const fail = (event: unknown, problems: ReadonlyArray<{ field: string; message: string; line?: number | undefined }>): MapResult => {
    const id = messageIdOf(event);
    return {
      ok: false,
      errors: problems.map((p) => {
        const err: FieldError = { field: p.field, message: p.message };
        const line = 'line' in p ? p.line : lineOf(p.field);
        if (line !== undefined) err.line = line;
        if (id !== undefined) err.messageId = id;
        return err;
      }),
    };
  };

  return (event) => {
    const scope: Record<string, unknown> | undefined = hasLets ? Object.create(null) : undefined;
    // root keys are action field keys (checked at compile time), never `__proto__`
    const fields: Record<string, unknown> = {};
    const owned = hasDotted ? new Set<object>() : undefined;
    let errors: Array<{ field: string; message: string; line: number | undefined }> | undefined;
    let typed = true; // every stored root value already valid for its field
    // the try wraps the loop, not each op: a failing op is recorded and the loop resumes after it
    let i = 0;
    while (i < n) {
      try {
        for (; i < n; i++) {
          const op = ops[i] as Op;
          if (op.guard !== undefined && op.guard(event, scope) !== true) continue;
          const v = op.isConstant ? op.constant : op.value(event, scope);
          if (op.kind === LET) {
            (scope as Record<string, unknown>)[op.name] = v;
            continue;
          }
          if (v === undefined) continue;
          if (op.kind === DOTTED) assignInto(fields, op.name, op.path, v, owned as Set<object>);
          // Segment drops root "" and null before validation (§3.18): a required "" field is missing
          else if (v !== '' && v !== null) {
            const t = op.typeCode;
            // a number or bool in a plain string field becomes its text: the coercion ajv would do (`"" + v`)
            if (t === 1 && (typeof v === 'number' || typeof v === 'boolean')) {
              fields[op.name] = '' + v;
              continue;
            }
            fields[op.name] = v;
            if (typed) {
              // v is neither null nor undefined here
              typed = t === 1 ? typeof v === 'string' : t === 2 ? typeof v === 'object' && !Array.isArray(v) : t === 3 ? typeof v === 'boolean' : op.accepts(v);
            }
          } else if (op.guard !== undefined) delete fields[op.name]; // an earlier guarded assignment may have set it
        }
      } catch (e) {
        const op = ops[i] as Op;
        (errors ??= []).push({ field: op.label, message: errorText(e), line: op.line });
        i++;
      }
    }
    if (errors) return fail(event, errors);
    const problems = typed ? validator.missing(fields) : validator.validate(fields);
    return problems.length === 0 ? { ok: true, fields } : fail(event, problems);
  };
}
