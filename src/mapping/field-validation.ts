// Field validation after mapping (Segment's field typing, customerio.md §3.18): one ajv validator
// per action, compiled once from the action's FieldSchemas, with `coerceTypes: 'array'` as
// Segment uses it (numbers → strings in string fields, one-element arrays unwrapped).

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FieldSchema } from '../actions/types.js';

/** One validation problem of a mapped field, before line/messageId are attached. */
export interface FieldProblem {
  field: string;
  message: string;
}

const ajv = new Ajv({ coerceTypes: 'array', allErrors: true, allowUnionTypes: true, strict: false });
// Segment's `date-like` format for datetime fields: an epoch number string or a parseable date.
ajv.addFormat('date-like', {
  type: 'string',
  validate: (s: string) => (String(Number(s)) === s ? Number.isFinite(Number(s)) : !Number.isNaN(Date.parse(s))),
});

function fieldJsonSchema(f: FieldSchema): Record<string, unknown> {
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

export interface FieldValidator {
  /** Removes root `""`/`null` values, coerces in place (the object must be the mapper's own) and returns the problems. */
  (fields: Record<string, unknown>): FieldProblem[];
}

const cache = new WeakMap<object, FieldValidator>();

/** The validator of one action's fields, compiled once per field table. */
export function fieldValidator(fields: Readonly<Record<string, FieldSchema>>): FieldValidator {
  const hit = cache.get(fields);
  if (hit) return hit;
  const validate: ValidateFunction = ajv.compile(fieldsJsonSchema(fields));
  const validator: FieldValidator = (mapped) => {
    // Segment drops root "" and null before validation (§3.18): a required "" field is missing
    for (const key of Object.keys(mapped)) {
      const v = mapped[key];
      if (v === '' || v === null) delete mapped[key];
    }
    if (validate(mapped)) return [];
    return (validate.errors ?? []).map((e) => describe(e, fields));
  };
  cache.set(fields, validator);
  return validator;
}
