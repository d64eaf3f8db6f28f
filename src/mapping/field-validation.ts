// Field validation after mapping (Segment's field typing, customerio.md §3.18): one ajv validator
// per action, from the action's FieldSchemas, with `coerceTypes: 'array'` as Segment uses it
// (numbers → strings in string fields, one-element arrays unwrapped). The registered actions'
// validators are ajv standalone code generated at build time (scripts/gen-validators.ts →
// src/generated/fields.cjs): compiling them here cost every CLI start ~50 ms of ajv.

import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { FieldSchema } from '../actions/types.js';
import { lazyRequire } from '../lazy-require.js';
import { FIELD_FORMATS } from './date-like.js';

/** One validation problem of a mapped field, before line/messageId are attached. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * ajv's options for the field validators (Segment's: coercion as its validateSchema does), as
 * scripts/gen-validators.ts compiles them into src/generated/fields.cjs.
 */
export const FIELD_AJV_OPTIONS = { coerceTypes: 'array', allErrors: true, allowUnionTypes: true, strict: false } as const;

/** The per-field verdicts' options (src/generated/field-accepts.cjs): the value as it is, no coercion, first failure only. */
export const FIELD_ACCEPTS_AJV_OPTIONS = { coerceTypes: false, allErrors: false, messages: false } as const;

/** What src/generated/fields.cjs exports: given our formats, the validators keyed by their field schema's JSON text. */
type FieldValidatorsFactory = (helpers: { formats: typeof FIELD_FORMATS }) => Readonly<Record<string, ValidateFunction>>;

let generated: Readonly<Record<string, ValidateFunction>> | undefined;
let runtimeAjv: Ajv | undefined;

/**
 * The validator of a field table's JSON Schema: the generated one, found by the schema's JSON
 * text (every registered action's table); a table the build did not know (an action defined at
 * run time, e.g. by a test) is compiled here, with ajv loaded for it.
 */
function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  generated ??= (lazyRequire('./generated/fields.cjs') as FieldValidatorsFactory)({ formats: FIELD_FORMATS });
  const text = JSON.stringify(schema);
  if (Object.hasOwn(generated, text)) return generated[text]!;
  if (runtimeAjv === undefined) {
    const { Ajv: AjvClass } = lazyRequire('ajv') as { Ajv: typeof Ajv };
    runtimeAjv = new AjvClass(FIELD_AJV_OPTIONS);
    for (const [name, format] of Object.entries(FIELD_FORMATS)) runtimeAjv.addFormat(name, format);
  }
  return runtimeAjv.compile(schema);
}

/** The JSON Schema of one mapped field's value (Segment's typing of its FieldSchema). */
export function fieldJsonSchema(f: FieldSchema): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  switch (f.type) {
    case 'datetime':
      schema.type = ['string', 'number'];
      schema.format = 'date-like';
      break;
    default:
      schema.type = f.type;
  }
  if (f.choices) schema.enum = [...f.choices];
  if (f.type === 'number' || f.type === 'integer') {
    if (f.minimum !== undefined) schema.minimum = f.minimum;
    if (f.maximum !== undefined) schema.maximum = f.maximum;
  }
  return schema;
}

/** The JSON Schema of an action's mapped fields (root object of known keys). */
export function fieldsJsonSchema(fields: Readonly<Record<string, FieldSchema>>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const key of Object.keys(fields)) {
    const f = fields[key] as FieldSchema;
    properties[key] = fieldJsonSchema(f);
    if (f.required) required.push(key);
  }
  return { type: 'object', properties, required };
}

/** Human text for one ajv error, naming the field. */
function describe(err: ErrorObject, fields: Readonly<Record<string, FieldSchema>>): FieldProblem {
  const field =
    err.keyword === 'required'
      ? String((err.params as { missingProperty: string }).missingProperty)
      : err.instancePath.split('/')[1] ?? '';
  const label = Object.hasOwn(fields, field) ? ` (${(fields[field] as FieldSchema).label})` : '';
  switch (err.keyword) {
    case 'required':
      return { field, message: `required field \`${field}\`${label} has no value` };
    case 'enum':
      return { field, message: `\`${field}\` must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      return { field, message: `\`${field}\`${label} must be ${String((err.params as { type: unknown }).type).split(',').map((t) => (t === 'integer' ? 'an integer' : `a ${t}`)).join(' or ')}` };
    case 'format':
      return { field, message: `\`${field}\`${label} must be a valid date-like string` };
    default:
      return { field, message: `\`${field}\`${label} ${err.message ?? 'is invalid'}` };
  }
}

/**
 * The field typing of one action. The mapper asks `accepts(field)` once per assignment at compile
 * time and checks each stored value with it (the usual case: right type, in bounds, a valid
 * choice); only when some value is not accepted does it run `validate` (ajv: coercion, format,
 * every message). Otherwise `missing` reports absent required fields.
 */
export interface FieldValidator {
  /** A predicate: the value is valid for `field` as it is (ajv would neither coerce nor complain). */
  accepts(field: string): (value: unknown) => boolean;
  /** For plain string/object/boolean fields (no choices or bounds), that type, so the mapper can test it inline. */
  plainType(field: string): 'string' | 'object' | 'boolean' | undefined;
  /** Full ajv validation, in place (the object must be the mapper's own: ajv may coerce values). Root `""`/`null` must already be gone. */
  validate(fields: Record<string, unknown>): readonly FieldProblem[];
  /** The keys of the required fields. */
  readonly required: readonly string[];
  /** Problems of required fields that are absent (for objects whose present values were all accepted). */
  missing(fields: Record<string, unknown>): readonly FieldProblem[];
}

let generatedAccepts: Readonly<Record<string, ValidateFunction>> | undefined;
let runtimeAcceptsAjv: Ajv | undefined;

/**
 * `accepts` of one field: the field schema's own validator without coercion (generated into
 * src/generated/field-accepts.cjs for the registered actions, compiled here for a field the build
 * did not know), so the type, choice and bound tests are never restated by hand.
 */
function acceptsFor(f: FieldSchema): (v: unknown) => boolean {
  generatedAccepts ??= (lazyRequire('./generated/field-accepts.cjs') as FieldValidatorsFactory)({ formats: FIELD_FORMATS });
  const schema = fieldJsonSchema(f);
  const text = JSON.stringify(schema);
  let validate: ValidateFunction;
  if (Object.hasOwn(generatedAccepts, text)) validate = generatedAccepts[text]!;
  else {
    if (runtimeAcceptsAjv === undefined) {
      const { Ajv: AjvClass } = lazyRequire('ajv') as { Ajv: typeof Ajv };
      runtimeAcceptsAjv = new AjvClass({ ...FIELD_AJV_OPTIONS, ...FIELD_ACCEPTS_AJV_OPTIONS });
      for (const [name, format] of Object.entries(FIELD_FORMATS)) runtimeAcceptsAjv.addFormat(name, format);
    }
    validate = runtimeAcceptsAjv.compile(schema);
  }
  return validate as (v: unknown) => boolean;
}

const cache = new WeakMap<object, FieldValidator>();
const never = () => false;
const NONE: readonly FieldProblem[] = Object.freeze([]);

/** The validator of one action's fields, built once per field table. */
export function fieldValidator(fields: Readonly<Record<string, FieldSchema>>): FieldValidator {
  const hit = cache.get(fields);
  if (hit) return hit;
  const check = validatorFor(fieldsJsonSchema(fields));
  const accepts = new Map(Object.keys(fields).map((key) => [key, acceptsFor(fields[key] as FieldSchema)]));
  // the "missing" problems are the same for every event: built once
  const required = Object.keys(fields)
    .filter((key) => (fields[key] as FieldSchema).required)
    .map((key) => Object.freeze({ field: key, message: `required field \`${key}\` (${(fields[key] as FieldSchema).label}) has no value` }));
  const validator: FieldValidator = Object.freeze({
    required: Object.freeze(required.map((p) => p.field)),
    accepts: (field: string) => accepts.get(field) ?? never,
    plainType: (field: string) => {
      const f = Object.hasOwn(fields, field) ? fields[field] : undefined;
      if (!f || f.choices || f.minimum !== undefined || f.maximum !== undefined) return undefined;
      return f.type === 'string' || f.type === 'object' || f.type === 'boolean' ? f.type : undefined;
    },
    validate: (mapped: Record<string, unknown>) => (check(mapped) ? [] : (check.errors ?? []).map((e) => describe(e, fields))),
    missing: (mapped: Record<string, unknown>) => {
      let out: FieldProblem[] | undefined;
      for (const problem of required) if (mapped[problem.field] === undefined) (out ??= []).push(problem);
      return out ?? NONE;
    },
  });
  cache.set(fields, validator);
  return validator;
}
