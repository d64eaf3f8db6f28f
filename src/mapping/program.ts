// Runs a compiled mapping for one event: `let`s in order, guarded field assignments (whole
// fields and dotted paths into object fields), then Segment's field typing (ajv). Never throws.
// Event path values are read inline through the read plan (reads.ts), not through closures.

import type { Closure } from '../evaluator/types.js';
import type { Expr } from '../parser/ast.js';
import { MappingRuntimeError } from '../evaluator/types.js';
import { asRecord, copyRecord, isRecord, ownOf, setOwn } from '../evaluator/value.js';
import { constantOf } from '../evaluator/compile.js';
import type { FieldProblem, FieldValidator } from './field-validation.js';
import { planReads, readChainOf, readPath, type Read, type ReadChain } from './reads.js';
import type { FieldError, MapResult } from './subscription.js';

/** One compiled statement. `path` is empty for a whole-field assignment. */
export type Step =
  | { kind: 'let'; name: string; expr: Expr; value: Closure; line?: number }
  | { kind: 'assign'; field: string; path: readonly string[]; label: string; expr: Expr; value: Closure; guard?: Closure; line?: number };


/** The event's own `messageId` as text; `root` is the event when it is a plain object. */
function messageIdOf(root: Record<string, unknown> | undefined): string | undefined {
  try {
    if (root === undefined) return undefined;
    const id = ownOf(root, 'messageId');
    return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined; // a throwing getter: the errors go without a messageId
  }
}

/** `data.total`, `items[2].price`: a field label and the path inside its value. */
export function fieldPath(label: string, path: ReadonlyArray<string | number>): string {
  let out = label;
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  return out;
}

/**
 * The problem of a failing op: the field path down to the key that failed, and the `.map`
 * position of the innermost object entry on the way (or the statement's line). Positions only
 * when the statement has a real line (not for default mappings or imported JSON).
 */
function located(op: Op, e: unknown): { field: string; message: string; line: number | undefined; column?: number } {
  const message = errorText(e);
  if (!(e instanceof MappingRuntimeError) || e.path.length === 0) return { field: op.label, message, line: op.line };
  const field = fieldPath(op.label, e.path);
  if (op.line === undefined || e.line === undefined) return { field, message, line: op.line };
  return e.column === undefined ? { field, message, line: e.line } : { field, message, line: e.line, column: e.column };
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
/** Reads a shared path prefix into a slot (no field). */
const SLOT = 3;

/** Where an op's value comes from. */
const CONST = 0;
const READ = 1;
const CALL = 2;

/** Short paths of the mapper: an unguarded constant store; an unguarded plain-string field read from one event key. */
const GENERIC = 0;
const STORE_CONSTANT = 1;
const STRING_FROM_ROOT = 2;

/** Field type codes checked inline: 1 string, 2 object, 3 boolean, 4 a constant checked at compile time; 0: call `accepts`. */
const BY_ACCEPTS = 0;
const STRING = 1;
const OBJECT = 2;
const BOOLEAN = 3;
const CHECKED = 4;

/** What an op is made of; unset members take the defaults of `Op`. */
interface OpSpec {
  kind: typeof LET | typeof ASSIGN | typeof DOTTED | typeof SLOT;
  /** Variable name (let) or top-level field ('' for a slot). */
  name: string;
  path?: readonly string[];
  label: string;
  value: Closure;
  guard?: Closure | undefined;
  line?: number | undefined;
  accepts?: (value: unknown) => boolean;
  typeCode?: number;
  source: typeof CONST | typeof READ | typeof CALL;
  /** The constant (CONST), or the fallback of a read chain (READ with `hasFallback`). */
  constant?: unknown;
  /** READ: the chain's reads, first non-null wins; SLOT: the one read. */
  reads?: readonly Read[];
  hasFallback?: boolean;
  /** SLOT: the slot written. */
  slot?: number;
  /** CHECKED: whether the constant is valid for the field. */
  constantValid?: boolean;
  /** The field is required and this op is its only writer: its bit in the mask of present required fields (else 0). */
  requiredBit?: number;
  /** READ: a function applied to the chain's value (one-argument functions and templates around it). */
  post?: ((value: unknown) => unknown) | undefined;
}

/**
 * A step as the mapper runs it. One class whose constructor sets every member in one order, so
 * every op has the same hidden class and the hot loop reads its properties monomorphically;
 * constants are stored, not called; path reads are data.
 */
class Op {
  readonly kind: OpSpec['kind'];
  readonly name: string;
  readonly path: readonly string[];
  readonly label: string;
  readonly value: Closure;
  readonly guard: Closure | undefined;
  readonly line: number | undefined;
  readonly accepts: (value: unknown) => boolean;
  readonly typeCode: number;
  readonly source: OpSpec['source'];
  readonly constant: unknown;
  readonly reads: readonly Read[];
  readonly hasFallback: boolean;
  readonly slot: number;
  readonly constantValid: boolean;
  readonly requiredBit: number;
  readonly post: ((value: unknown) => unknown) | undefined;
  /** A READ of one key of the event root (no chain, no slot): read inline; '' otherwise. */
  readonly rootKey: string;
  /** GENERIC, or the op's short path. */
  readonly fast: number;

  constructor(spec: OpSpec) {
    this.kind = spec.kind;
    this.name = spec.name;
    this.path = spec.path ?? NO_PATH;
    this.label = spec.label;
    this.value = spec.value;
    this.guard = spec.guard;
    this.line = spec.line;
    this.accepts = spec.accepts ?? always;
    this.typeCode = spec.typeCode ?? BY_ACCEPTS;
    this.source = spec.source;
    this.constant = spec.constant;
    this.reads = spec.reads ?? NO_READS;
    this.hasFallback = spec.hasFallback ?? false;
    this.slot = spec.slot ?? -1;
    this.constantValid = spec.constantValid ?? true;
    this.requiredBit = spec.requiredBit ?? 0;
    this.post = spec.post;
    const reads = this.reads;
    const only = reads.length === 1 && !this.hasFallback ? reads[0] : undefined;
    this.rootKey = this.source === READ && only !== undefined && only.base < 0 && only.len === 1 && this.post === undefined ? only.k0 : '';
    // the two commonest ops get a short path of their own in the mapper's switch
    const plain = this.kind === ASSIGN && this.guard === undefined;
    const constant = this.constant;
    this.fast = !plain ? GENERIC : this.source === CONST && constant !== '' && constant !== null ? STORE_CONSTANT : this.rootKey !== '' && this.typeCode === STRING ? STRING_FROM_ROOT : GENERIC;
  }
}

const NO_PATH: readonly string[] = Object.freeze([]);
const always = () => true;
const NO_READS: readonly Read[] = Object.freeze([]);

/**
 * Fields objects come from this constructor (prototype: Object.prototype, so they are plain
 * objects): V8 gives its instances in-object room for the fields, instead of growing a property
 * array store by store as it does from `{}`. One constructor for every mapping keeps `new` monomorphic.
 */
const Fields = function Fields() {} as unknown as new () => Record<string, unknown>;
Fields.prototype = Object.prototype;

function typeCodeOf(plain: string | undefined): number {
  return plain === 'string' ? STRING : plain === 'object' ? OBJECT : plain === 'boolean' ? BOOLEAN : BY_ACCEPTS;
}

interface Planned {
  step: Step;
  chain: Read[] | undefined;
  fallback: { value: unknown } | undefined;
  post: ((value: unknown) => unknown) | undefined;
}

function toOp(planned: Planned, validator: FieldValidator, counted: ReadonlyMap<Step, number>): Op | undefined {
  const { step, chain, fallback, post } = planned;
  const c = constantOf(step.value);
  const source = c !== undefined ? CONST : chain !== undefined ? READ : CALL;
  const read = { source, constant: c !== undefined ? c.value : fallback?.value, reads: chain ?? NO_READS, hasFallback: fallback !== undefined, post } as const;
  if (step.kind === 'let') return new Op({ kind: LET, name: step.name, label: `$${step.name}`, value: step.value, line: step.line, ...read });
  // `omit` (a constant missing value) never writes anything: no op at all
  if (c !== undefined && c.value === undefined) return undefined;
  if (step.path.length > 0) return new Op({ kind: DOTTED, name: step.field, path: step.path, label: step.label, value: step.value, guard: step.guard, line: step.line, ...read });
  const accepts = validator.accepts(step.field);
  let typeCode = typeCodeOf(validator.plainType(step.field));
  let value = read.constant;
  let valid = true;
  if (c !== undefined && c.value !== '' && c.value !== null) {
    // a constant is coerced and checked once, here, instead of per event
    if (typeCode === STRING && (typeof value === 'number' || typeof value === 'boolean')) value = '' + value;
    valid = accepts(value);
    typeCode = CHECKED;
  }
  return new Op({ kind: ASSIGN, name: step.field, label: step.label, value: step.value, guard: step.guard, line: step.line, accepts, typeCode, ...read, constant: value, constantValid: valid, requiredBit: counted.get(step) ?? 0 });
}

/**
 * The steps that mark required fields present, with the field's bit (1 << its index in
 * `required`): the only writer of a required field, a whole-field assignment. When every required
 * field has at most one such writer, a bit mask replaces the per-event lookup of each required field.
 */
function requiredWriters(program: readonly Step[], required: readonly string[]): Map<Step, number> | undefined {
  if (required.length > 30) return undefined;
  const writers = new Map<string, Step[]>();
  for (const s of program) if (s.kind === 'assign') writers.set(s.field, [...(writers.get(s.field) ?? []), s]);
  const out = new Map<Step, number>();
  for (let j = 0; j < required.length; j++) {
    const ws = writers.get(required[j] as string) ?? [];
    if (ws.length > 1 || ws.some((w) => w.kind === 'assign' && w.path.length > 0)) return undefined;
    if (ws[0] !== undefined) out.set(ws[0], 1 << j);
  }
  return out;
}

/** The "has no value" problems of the required fields whose bit is not in `present` (validator.missing's list, by mask). */
function missingByMask(validator: FieldValidator, lineOf: (field: string) => number | undefined): (present: number) => readonly LinedProblem[] {
  // every required field missing: the validator's own problems, in its order, with their lines
  const all = validator.missing(Object.create(null) as Record<string, unknown>).map((p) => Object.freeze({ ...p, line: lineOf(p.field) }));
  const cache = new Map<number, readonly LinedProblem[]>();
  return (present) => {
    let hit = cache.get(present);
    if (hit === undefined) {
      hit = Object.freeze(all.filter((_, j) => (present & (1 << j)) === 0));
      if (cache.size < 64) cache.set(present, hit); // actions have a few required fields: a handful of masks
    }
    return hit;
  };
}

/** A problem with its `.map` line known (undefined: none); field errors are built from these. */
type LinedProblem = FieldProblem & { readonly line: number | undefined };

/** One FieldError as a literal of fixed shape per case (`line`, `messageId` only when known). */
function fieldError(field: string, message: string, line: number | undefined, id: string | undefined): FieldError {
  if (line === undefined) return id === undefined ? { field, message } : { field, message, messageId: id };
  return id === undefined ? { field, message, line } : { field, message, line, messageId: id };
}

/** Builds the `map(event)` function of a subscription from its steps and field validator. */
export function buildMapper(
  program: readonly Step[],
  validator: FieldValidator,
  lineOf: (field: string) => number | undefined,
  exprOf: (field: string) => string | undefined = () => undefined,
): (event: unknown) => MapResult {
  // read chains of path-valued steps, planned together so shared prefixes are read once
  const chains = program.map((s) => (constantOf(s.value) === undefined ? readChainOf(s.expr) : undefined));
  const plan = planReads(chains.filter((c): c is ReadChain => c !== undefined));
  let next = 0;
  const planned: Planned[] = program.map((step, i) => {
    const chain = chains[i];
    return { step, chain: chain === undefined ? undefined : plan.chains[next++], fallback: chain?.fallback, post: chain?.post };
  });
  const counted = requiredWriters(program, validator.required);
  // the mask with every required field present; -1 (never reached) without counting writers
  const allPresent = counted === undefined ? -1 : 2 ** validator.required.length - 1;
  const missing = missingByMask(validator, lineOf);
  const slotOps = plan.slots.map((read, k) => new Op({ kind: SLOT, name: '', label: labelOfSlot(k, plan.slots, planned), value: always, source: READ, reads: [read], slot: k }));
  const ops = [...slotOps, ...planned.map((p) => toOp(p, validator, counted ?? new Map())).filter((o): o is Op => o !== undefined)];
  const n = ops.length;
  const hasDotted = ops.some((o) => o.kind === DOTTED);
  // variables live in a per-event scope; a program without `let` needs none (`each` makes its own)
  const hasLets = ops.some((o) => o.kind === LET);
  // one slot array per mapper, reused: map() is synchronous and never re-entered, and every slot
  // is written before it is read; it is cleared after each event so no event stays reachable
  const slots: unknown[] = new Array<unknown>(plan.slots.length).fill(undefined);
  // each slot's value again when it is a plain object, so reads below it test ownership only
  const records: Array<Record<string, unknown> | undefined> = new Array<Record<string, unknown> | undefined>(plan.slots.length).fill(undefined);

  const fail = (root: Record<string, unknown> | undefined, problems: ReadonlyArray<{ field: string; message: string; line?: number | undefined; column?: number }>): MapResult => {
    const id = messageIdOf(root);
    const errors = new Array<FieldError>(problems.length);
    for (let k = 0; k < problems.length; k++) {
      const p = problems[k] as { field: string; message: string; line?: number | undefined; column?: number };
      // a required field without a value says which expression gave none
      const expr = p.message.endsWith(' has no value') ? exprOf(p.field) : undefined;
      const message = expr === undefined ? p.message : `${p.message} (from \`${expr.length > 80 ? `${expr.slice(0, 77)}...` : expr}\`)`;
      const error = fieldError(p.field, message, 'line' in p ? p.line : lineOf(p.field), id);
      if (p.column !== undefined) error.column = p.column;
      errors[k] = error;
    }
    return { ok: false, errors };
  };

  return (event) => {
    const scope: Record<string, unknown> | undefined = hasLets ? Object.create(null) : undefined;
    // root keys are action field keys (checked at compile time), never `__proto__`
    const fields = new Fields();
    const owned = hasDotted ? new Set<object>() : undefined;
    let errors: Array<{ field: string; message: string; line: number | undefined; column?: number }> | undefined;
    let typed = true; // every stored root value already valid for its field
    let present = 0; // bits of the required fields stored (by their only writers)
    let root: Record<string, unknown> | undefined;
    try {
      // the event is checked for being a plain object once; root key reads then test ownership only
      root = asRecord(event);
    } catch {
      root = undefined; // a hostile proxy: path reads are missing
    }
    // the try wraps the loop, not each op: a failing op is recorded and the loop resumes after it
    let i = 0;
    while (i < n) {
      try {
        for (; i < n; i++) {
          const op = ops[i] as Op;
          const fast = op.fast;
          if (fast === STORE_CONSTANT) {
            // coerced and checked at compile time
            fields[op.name] = op.constant;
            present |= op.requiredBit;
            if (!op.constantValid) typed = false;
            continue;
          }
          if (fast === STRING_FROM_ROOT) {
            if (root === undefined) continue;
            const k = op.rootKey;
            const v = ownOf(root, k);
            if (v === undefined || v === '' || v === null) continue;
            present |= op.requiredBit;
            if (typeof v === 'string') fields[op.name] = v;
            else if (typeof v === 'number' || typeof v === 'boolean') fields[op.name] = '' + v; // ajv's coercion
            else {
              fields[op.name] = v;
              typed = false;
            }
            continue;
          }
          if (op.guard !== undefined && op.guard(event, scope) !== true) continue;
          let v: unknown;
          if (op.source === CONST) v = op.constant;
          else if (op.rootKey !== '') {
            // the commonest read, inline: one own key of the event
            const k = op.rootKey;
            v = root === undefined ? undefined : ownOf(root, k);
          } else if (op.source === READ) {
            const reads = op.reads;
            v = readPath(reads[0] as Read, root, slots, records);
            for (let j = 1; j < reads.length && (v === undefined || v === null); j++) v = readPath(reads[j] as Read, root, slots, records);
            if (op.hasFallback && (v === undefined || v === null)) v = op.constant;
            if (op.post !== undefined) v = op.post(v);
          } else v = op.value(event, scope);
          const kind = op.kind;
          if (kind === SLOT) {
            slots[op.slot] = v;
            records[op.slot] = asRecord(v);
            continue;
          }
          if (kind === LET) {
            (scope as Record<string, unknown>)[op.name] = v;
            continue;
          }
          if (v === undefined) continue;
          if (kind === DOTTED) assignInto(fields, op.name, op.path, v, owned as Set<object>);
          // Segment drops root "" and null before validation (§3.18): a required "" field is missing
          else if (v !== '' && v !== null) {
            const t = op.typeCode;
            present |= op.requiredBit;
            // a number or bool in a plain string field becomes its text: the coercion ajv would do (`"" + v`)
            if (t === STRING && (typeof v === 'number' || typeof v === 'boolean')) {
              fields[op.name] = '' + v;
              continue;
            }
            fields[op.name] = v;
            if (typed) {
              // v is neither null nor undefined here
              typed =
                t === STRING ? typeof v === 'string'
                : t === CHECKED ? op.constantValid
                : t === OBJECT ? typeof v === 'object' && !Array.isArray(v)
                : t === BOOLEAN ? typeof v === 'boolean'
                : op.accepts(v);
            }
          } else if (op.guard !== undefined) delete fields[op.name]; // an earlier guarded assignment may have set it
        }
      } catch (e) {
        (errors ??= []).push(located(ops[i] as Op, e));
        i++;
      }
    }
    for (let k = 0; k < slots.length; k++) slots[k] = records[k] = undefined;
    if (errors) return fail(root, errors);
    if (typed && present === allPresent) return { ok: true, fields };
    const problems = !typed ? validator.validate(fields) : allPresent >= 0 ? missing(present) : validator.missing(fields);
    return problems.length === 0 ? { ok: true, fields } : fail(root, problems);
  };
}

/** A failing slot read is reported on the first field that reads through it. */
function labelOfSlot(slot: number, slots: readonly Read[], planned: readonly Planned[]): string {
  const uses = (read: Read): boolean => read.base === slot || (read.base >= 0 && uses(slots[read.base] as Read));
  for (const p of planned) if (p.chain?.some(uses)) return p.step.kind === 'let' ? `$${p.step.name}` : p.step.label;
  return 'event';
}
