// Customer.io's byte limits (customerio.md §2.6), checked in UTF-8 bytes because JSON Schema's
// maxLength counts code points: entity ≤ 32 KB, ids and attribute names ≤ 150 B, attribute values
// ≤ 1000 B (objects and arrays measured serialized), event names ≤ 100 B. Strict profile only.

import type { BodyError } from './schemas.js';
import { hasOwn, isRecord } from '../evaluator/value.js';

/** The limits, in bytes. */
export const LIMITS = Object.freeze({
  entityBytes: 32 * 1024,
  batchBytes: 500 * 1024,
  idBytes: 150,
  attributeNameBytes: 150,
  attributeValueBytes: 1000,
  eventNameBytes: 100,
});

/**
 * UTF-8 byte length of a string counted from its UTF-16 code units, as Node's Buffer.byteLength
 * counts (a lone surrogate is U+FFFD, 3 bytes). For hosts without Buffer (the browser playground).
 */
export function countUtf8Bytes(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else n += 2;
  }
  return n;
}

const nodeBuffer = (globalThis as { Buffer?: { byteLength(text: string, encoding: 'utf8'): number } }).Buffer;

/** UTF-8 byte length of a string (Node's native count where there is one). */
export const utf8Bytes: (text: string) => number = nodeBuffer ? (text) => nodeBuffer.byteLength(text, 'utf8') : countUtf8Bytes;

/**
 * Whether a string is over `limit` UTF-8 bytes. A UTF-16 code unit is at most 3 bytes, so short
 * strings are answered without counting.
 */
function overBytes(text: string, limit: number): boolean {
  return text.length > limit || (text.length * 3 > limit && utf8Bytes(text) > limit);
}

/** Bytes of a value as Customer.io stores it: strings raw, everything else as JSON. */
function valueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8Bytes(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return 8;
  return utf8Bytes(JSON.stringify(value) ?? '');
}

/** Longest JSON text of a number ("-0.0000001234567890123456" is 26), rounded up. */
const NUMBER_JSON_BOUND = 32;
/** Nesting beyond which `jsonBytesBound` gives up (bodies are refused deeper than MAX_VALUE_DEPTH). */
const BOUND_DEPTH = 128;

/**
 * An upper bound on the UTF-8 bytes of `JSON.stringify(value)`, without serializing: a UTF-16 unit
 * is at most 6 bytes of JSON (`\u001f`, lone surrogates), a number at most 32. `Infinity` when the
 * value holds anything whose JSON is not predicted here (`toJSON`, non-plain objects, bigint, very
 * deep nesting): callers then serialize, which also keeps JSON.stringify's own errors.
 */
function jsonBytesBound(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return 2 + 6 * value.length;
    case 'number':
      return NUMBER_JSON_BOUND;
    case 'boolean':
      return 5;
    case 'undefined':
    case 'function':
    case 'symbol':
      return 4; // left out of objects, `null` in lists
    case 'object':
      break;
    default:
      return Infinity;
  }
  if (value === null) return 4;
  if (depth > BOUND_DEPTH || 'toJSON' in value) return Infinity;
  if (Array.isArray(value)) {
    let n = 2 + value.length;
    for (let i = 0; i < value.length && n !== Infinity; i++) n += jsonBytesBound(value[i], depth + 1);
    return n;
  }
  if (!isRecord(value)) return Infinity;
  // for-in uses V8's enum cache (no key array per object); own keys only, as JSON.stringify reads.
  let n = 2;
  for (const key in value) {
    if (!hasOwn.call(value, key)) continue;
    n += 4 + 6 * key.length + jsonBytesBound(value[key], depth + 1);
    if (n === Infinity) return n;
  }
  return n;
}

/** Whether one attribute value is over the value limit (strings raw, objects and arrays serialized). */
function valueTooLong(value: unknown, bodyBound: number): boolean {
  if (typeof value === 'string') return overBytes(value, LIMITS.attributeValueBytes);
  if (value === null || typeof value !== 'object') return false;
  // A nested value cannot be longer than the whole body (`bodyBound` ≥ the body's bytes); serialize
  // it only when neither that nor its own upper bound settles it.
  return (
    bodyBound > LIMITS.attributeValueBytes &&
    jsonBytesBound(value, 0) > LIMITS.attributeValueBytes &&
    valueBytes(value) > LIMITS.attributeValueBytes
  );
}

function checkBag(bag: unknown, path: string, errors: BodyError[], bodyBound: number): void {
  if (!isRecord(bag)) return;
  for (const key in bag) {
    if (!hasOwn.call(bag, key)) continue;
    if (overBytes(key, LIMITS.attributeNameBytes)) {
      errors.push({ field: path, message: `attribute name "${key.slice(0, 40)}…" is longer than ${LIMITS.attributeNameBytes} bytes` });
    }
    if (valueTooLong(bag[key], bodyBound)) {
      const size = valueBytes(bag[key]);
      errors.push({ field: `${path}.${key}`, message: `value is ${size} bytes; Customer.io accepts at most ${LIMITS.attributeValueBytes}` });
    }
  }
}

function checkId(value: unknown, path: string, errors: BodyError[]): void {
  if (typeof value === 'string' && overBytes(value, LIMITS.idBytes)) {
    errors.push({ field: path, message: `id is ${utf8Bytes(value)} bytes; Customer.io accepts at most ${LIMITS.idBytes}` });
  }
}

function checkIdentifiers(identifiers: unknown, path: string, errors: BodyError[]): void {
  if (!isRecord(identifiers)) return;
  for (const key of ['id', 'object_id', 'cio_id', 'anonymous_id']) {
    if (Object.hasOwn(identifiers, key)) checkId(identifiers[key], `${path}.${key}`, errors);
  }
}

function checkRelationships(relationships: unknown, errors: BodyError[], bodyBound: number): void {
  if (!Array.isArray(relationships)) return;
  relationships.forEach((rel: unknown, i) => {
    if (!isRecord(rel)) return;
    checkIdentifiers(rel.identifiers, `cio_relationships.${i}.identifiers`, errors);
    checkBag(rel.relationship_attributes, `cio_relationships.${i}.relationship_attributes`, errors, bodyBound);
  });
}

/**
 * Byte-limit problems of one v2 entity body; `[]` when within limits. `serialized` is the body's JSON
 * when the caller already has it.
 */
export function checkEntityLimits(body: Record<string, unknown>, serialized?: string): BodyError[] {
  const errors: BodyError[] = [];
  // An upper bound on the body's size from a walk (no serialization); only a body that might be over
  // the entity limit is serialized and measured exactly. Nested values are only measured when the
  // bound is big enough for one of them to be over the value limit.
  let bound = serialized === undefined ? jsonBytesBound(body, 0) : Infinity;
  if (bound > LIMITS.entityBytes) {
    const json = serialized ?? JSON.stringify(body);
    bound = json.length * 3 > LIMITS.attributeValueBytes ? utf8Bytes(json) : json.length;
    if (bound > LIMITS.entityBytes) {
      errors.push({ message: `body is ${bound} bytes; Customer.io accepts at most ${LIMITS.entityBytes} per entity` });
    }
  }
  checkIdentifiers(body.identifiers, 'identifiers', errors);
  for (const side of ['primary', 'secondary']) checkIdentifiers(body[side], side, errors);
  const isEventLike = body.type === 'person' && typeof body.name === 'string' && body.action !== 'identify';
  if (isEventLike && overBytes(body.name as string, LIMITS.eventNameBytes)) {
    errors.push({ field: 'name', message: `event name is longer than ${LIMITS.eventNameBytes} bytes` });
  }
  // Profile attribute bags (people and objects); event attributes are bounded only by the entity size.
  if (body.action === 'identify' || body.action === 'identify_anonymous') checkBag(body.attributes, 'attributes', errors, bound);
  checkRelationships(body.cio_relationships, errors, bound);
  if (isRecord(body.device)) checkBag(body.device.attributes, 'device.attributes', errors, bound);
  return errors;
}

/**
 * Deepest nesting of objects/lists a mapped field may have. Beyond it the value is refused with a
 * per-event error: JSON.stringify, the schema validator and the byte checks recurse, and a
 * 10,000-deep event overflowed the stack ("could not build the request (RangeError)") or, in
 * the segment profile, produced a body no one could serialise.
 */
export const MAX_VALUE_DEPTH = 100;

/**
 * Whether `value` nests objects/lists deeper than `limit` (its own level counts as `depth`). The
 * recursion itself stops at `limit + 1` levels, so it is safe on values of any depth, and on cycles
 * (which are infinitely deep). Own enumerable keys only; no allocation (for-in over the enum cache).
 */
export function deeperThan(value: object, depth: number, limit: number): boolean {
  if (depth > limit) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null && deeperThan(child, depth + 1, limit)) return true;
    }
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!hasOwn.call(record, key)) continue;
    const child = record[key];
    if (typeof child === 'object' && child !== null && deeperThan(child, depth + 1, limit)) return true;
  }
  return false;
}

/** The first field whose value nests deeper than `limit`, or undefined. Safe at any depth. */
export function tooDeepField(fields: Record<string, unknown>, limit = MAX_VALUE_DEPTH): string | undefined {
  for (const name in fields) {
    if (!hasOwn.call(fields, name)) continue;
    const value = fields[name];
    if (typeof value === 'object' && value !== null && deeperThan(value, 1, limit)) return name;
  }
  return undefined;
}

/**
 * A field nests deeper than MAX_VALUE_DEPTH. Thrown by the body pipeline, which checks depth in the
 * same walk that converts timestamps; the registry's guard turns it into the per-event error.
 */
export class TooDeepError extends Error {
  constructor(readonly field: string) {
    super(`\`${field}\` is nested more than ${MAX_VALUE_DEPTH} levels deep`);
    this.name = 'TooDeepError';
  }
}

/** Throws TooDeepError when a field's value nests deeper than MAX_VALUE_DEPTH (tooDeepField's rule). */
export function checkFieldDepth(field: string, value: unknown): void {
  if (typeof value === 'object' && value !== null && deeperThan(value, 1, MAX_VALUE_DEPTH)) throw new TooDeepError(field);
}
