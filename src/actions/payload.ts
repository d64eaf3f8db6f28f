// The v2 body pipeline every person/object action ends with (customerio.md §3.0): Segment's
// `buildPayload` for the `segment` profile, and the same steps with §0.5's fixes for `strict`;
// then ajv validation (and byte limits for strict) and the `/api/v2/entity` request.

import { isAnonymous, resolveIdentifiers } from './identifiers.js';
import { checkEntityLimits } from './limits.js';
import { copyObject, isPlainObject } from './objects.js';
import { validateEntity } from './schemas.js';
import { convertTimestampsDeep, segmentRootTimestamp, toUnixSeconds } from './timestamps.js';
import type { BuildContext, BuildResult } from './types.js';

type Body = Record<string, unknown>;

/** Action-specific options of the shared v2 pipeline. */
export interface V2Options {
  /** Field named by the strict "no identifier" error (e.g. `id`, `person_id`, `object_id`). */
  identifierField: string;
  /** Hint listing what could identify the entity, for the strict error message. */
  identifierHint?: string;
}

/** Keys `buildPayload` pulls out before building the body (§3.0 step 1). */
const EXTRACTED = new Set(['convert_timestamp', 'person_id', 'anonymous_id', 'email', 'object_id', 'object_type_id', 'timestamp', 'enable_batching', 'batch_size']);

function splitPayload(payload: Body): { rest: Body } {
  const rest: Body = {};
  for (const key of Object.keys(payload)) {
    if (!EXTRACTED.has(key)) Object.defineProperty(rest, key, { value: payload[key], enumerable: true, writable: true, configurable: true });
  }
  return { rest };
}

function has(payload: Body, key: string): boolean {
  return Object.hasOwn(payload, key);
}

/**
 * Segment's `buildPayload` (§3.0 steps 1–7), exactly: deep timestamp conversion of everything left
 * (names and ids included), the lenient root timestamp, `attributes.anonymous_id` stamping, identifiers.
 */
export function segmentBody(type: string, action: string, payload: Body): Body {
  let { rest } = splitPayload(payload);
  if (has(payload, 'convert_timestamp') && payload.convert_timestamp !== false) rest = convertTimestampsDeep(rest);
  if (has(payload, 'timestamp') && payload.timestamp) rest.timestamp = segmentRootTimestamp(payload.timestamp);
  const body: Body = { type, action, ...rest };
  const anonymousId = payload.anonymous_id;
  if (anonymousId) body.attributes = { ...(body.attributes as Body | undefined), anonymous_id: anonymousId };
  if (action !== 'merge') {
    const identifiers = resolveIdentifiers({
      anonymous_id: anonymousId,
      email: payload.email,
      object_id: payload.object_id,
      object_type_id: payload.object_type_id,
      person_id: payload.person_id,
    });
    if (identifiers !== undefined) body.identifiers = identifiers;
    if (isAnonymous(identifiers) && isPlainObject(body.attributes)) {
      const attributes = copyObject(body.attributes);
      delete attributes.anonymous_id;
      body.attributes = attributes;
    }
  }
  return body;
}

/** Converts an attribute bag by the strict ISO rule (a fresh copy); non-objects are returned as they are. */
export function convertBag(bag: unknown): unknown {
  return isPlainObject(bag) ? convertTimestampsDeep(bag) : bag;
}

/**
 * Normalises a timestamp-like value to integer seconds for the strict profile; on failure adds a
 * warning naming `field` and returns `undefined` (the value is dropped, §0.5 items 3–4).
 */
export function strictSeconds(value: unknown, field: string, warnings: string[]): number | undefined {
  const result = toUnixSeconds(value);
  if (result.ok) return result.seconds;
  warnings.push(`${field} dropped: ${result.reason}`);
  return undefined;
}

/**
 * The strict profile's pipeline: attribute bags (`attributes`, `device.attributes`,
 * `cio_relationships[].relationship_attributes`) converted by the ISO rule when `convert_timestamp`
 * allows it, root `timestamp` as integer seconds, identifiers required.
 */
export function strictBody(type: string, action: string, payload: Body, options: V2Options, warnings: string[]): Body | { error: { field: string; message: string } } {
  const { rest } = splitPayload(payload);
  if (payload.convert_timestamp !== false) {
    if (has(rest, 'attributes')) rest.attributes = convertBag(rest.attributes);
    if (isPlainObject(rest.device) && has(rest.device, 'attributes')) {
      rest.device = { ...rest.device, attributes: convertBag(rest.device.attributes) };
    }
    if (Array.isArray(rest.cio_relationships)) {
      rest.cio_relationships = rest.cio_relationships.map((rel: unknown) =>
        isPlainObject(rel) && has(rel, 'relationship_attributes') ? { ...rel, relationship_attributes: convertBag(rel.relationship_attributes) } : rel,
      );
    }
  }
  if (has(payload, 'timestamp') && payload.timestamp !== undefined && payload.timestamp !== null && payload.timestamp !== '') {
    const seconds = strictSeconds(payload.timestamp, 'timestamp', warnings);
    if (seconds !== undefined) rest.timestamp = seconds;
  }
  const body: Body = { type, action, ...rest };
  const anonymousId = payload.anonymous_id;
  if (anonymousId) body.attributes = { ...(isPlainObject(body.attributes) ? body.attributes : undefined), anonymous_id: anonymousId };
  if (action !== 'merge') {
    const identifiers = resolveIdentifiers({
      anonymous_id: anonymousId,
      email: payload.email,
      object_id: payload.object_id,
      object_type_id: payload.object_type_id,
      person_id: payload.person_id,
    });
    if (identifiers === undefined) {
      const hint = options.identifierHint ?? `map \`${options.identifierField}\``;
      return { error: { field: options.identifierField, message: `no identifier: the event resolves to no Customer.io identifier (${hint})` } };
    }
    body.identifiers = identifiers;
    if (isAnonymous(identifiers) && isPlainObject(body.attributes)) {
      const attributes = copyObject(body.attributes);
      delete attributes.anonymous_id;
      body.attributes = attributes;
    }
  }
  return body;
}

/** Removes `undefined`-valued top-level keys, so the body equals its JSON form. */
function dropUndefined(body: Body): Body {
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

/**
 * Validates a finished v2 body for the profile (ajv; strict adds byte limits) and wraps it in the
 * `/api/v2/entity` request. Never throws.
 */
export function entityRequest(body: Body, ctx: BuildContext, warnings: string[]): BuildResult {
  dropUndefined(body);
  const errors = validateEntity(ctx.profile, body);
  if (errors.length === 0 && ctx.profile === 'strict') errors.push(...checkEntityLimits(body));
  if (errors.length > 0) return { ok: false, errors };
  const request = { method: 'POST' as const, url: `${ctx.baseUrl}/api/v2/entity`, body };
  return warnings.length > 0 ? { ok: true, request, warnings } : { ok: true, request };
}

/**
 * Runs the profile's pipeline on an action's Segment-shaped payload (its `mapPayload` output) and
 * returns the validated request.
 */
export function buildEntity(type: string, action: string, payload: Body, ctx: BuildContext, options: V2Options, warnings: string[] = []): BuildResult {
  if (ctx.profile === 'segment') return entityRequest(segmentBody(type, action, payload), ctx, warnings);
  const body = strictBody(type, action, payload, options, warnings);
  if ('error' in body && !('type' in body)) return { ok: false, errors: [body.error as { field: string; message: string }] };
  return entityRequest(body as Body, ctx, warnings);
}
