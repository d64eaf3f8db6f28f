// Identifier resolution shared by every v2 action (customerio.md §3.0.1): which of object ids,
// `cio_` ids, emails, plain ids or anonymous ids names the entity, and person refs for merge/relationships.

import type { fullFormats as FullFormats } from 'ajv-formats/dist/formats.js';
import { lazyRequire } from '../lazy-require.js';

/**
 * ajv-formats' "full" email format, the regex Segment's destination tests person ids with. It is
 * case-insensitive and ASCII-only (a non-ASCII address is not an email), and runs in linear time on
 * hostile input (see the identifiers tests). Loaded on first use: importing the CommonJS module
 * from ESM cost every start ~7 ms.
 */
let email: RegExp | undefined;

/** Whether `value` is a string that ajv-formats' full email format accepts. */
export function isEmail(value: unknown): value is string {
  // Every address the pattern accepts has an `@`: most ids are answered without running it.
  if (typeof value !== 'string' || !value.includes('@')) return false;
  email ??= (lazyRequire('ajv-formats/dist/formats.js') as { fullFormats: typeof FullFormats }).fullFormats.email as RegExp;
  return email.test(value);
}

/** Identifiers of a person (exactly one key), of an object, or of an anonymous person. */
export type Identifiers =
  | { id: unknown }
  | { email: unknown }
  | { cio_id: string }
  | { anonymous_id: unknown }
  | { object_id: unknown; object_type_id: unknown };

/** The inputs of identifier resolution, already extracted from the mapped fields. */
export interface IdentifierInputs {
  object_id?: unknown;
  object_type_id?: unknown;
  person_id?: unknown;
  email?: unknown;
  anonymous_id?: unknown;
}

/**
 * A person reference from one id value (§3.0.1 steps 2–4): `cio_<x>` → `{cio_id: x}`, an email →
 * `{email}`, any other truthy value → `{id}`; `undefined` when the value is falsy. Whitespace is kept.
 */
export function personRef(value: unknown): { id: unknown } | { email: string } | { cio_id: string } | undefined {
  if (typeof value === 'string' && value.startsWith('cio_')) return { cio_id: value.slice(4) };
  if (isEmail(value)) return { email: value };
  if (value) return { id: value };
  return undefined;
}

/**
 * Resolves the `identifiers` of a v2 body, first match wins (§3.0.1): object ids (type defaults to
 * `"1"` when undefined), then the person ref of `person_id`, then `email`, then `anonymous_id`.
 * Returns `undefined` when nothing resolves (Segment then omits the key; strict reports an error).
 */
export function resolveIdentifiers(inputs: IdentifierInputs): Identifiers | undefined {
  const objectTypeId = inputs.object_type_id === undefined ? '1' : inputs.object_type_id;
  if (inputs.object_id && objectTypeId) return { object_id: inputs.object_id, object_type_id: objectTypeId };
  const ref = personRef(inputs.person_id);
  if (ref) return ref;
  if (inputs.email) return { email: inputs.email };
  if (inputs.anonymous_id) return { anonymous_id: inputs.anonymous_id };
  return undefined;
}

/** Whether resolved identifiers are the anonymous form `{anonymous_id}`. */
export function isAnonymous(identifiers: Identifiers | undefined): boolean {
  return identifiers !== undefined && Object.hasOwn(identifiers, 'anonymous_id');
}
