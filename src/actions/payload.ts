// The v2 body pipeline every person/object action ends with (customerio.md §3.0): Segment's
// `buildPayload` for the `segment` profile, and the same steps with §0.5's fixes for `strict`;
// then ajv validation (and byte limits for strict) and the `/api/v2/entity` request.

import { isAnonymous, resolveIdentifiers, type Identifiers } from './identifiers.js';
import { checkEntityLimits, checkFieldDepth } from './limits.js';
import { hasOwn, isRecord, setOwn } from '../evaluator/value.js';
import { validateEntity } from './schemas.js';
import { convertIsoValue, segmentRootTimestamp, toUnixSeconds } from '../timestamps.js';
import { convertTimestampsChecked, convertTimestampsDeep, convertTimestampsOwned } from './timestamps.js';
import type { BuildContext, BuildResult, Profile } from './types.js';

type Body = Record<string, unknown>;

/** Action-specific options of the shared v2 pipeline. */
export interface V2Options {
  /** Field named by the strict "no identifier" error (e.g. `id`, `person_id`, `object_id`). */
  identifierField: string;
  /** Hint listing what could identify the entity, for the strict error message. */
  identifierHint?: string;
  /**
   * The pipeline checks every field's depth (limits.ts `checkFieldDepth`, fused with the timestamp
   * walk) and the registry's guard does not; only for builders that do nothing deep before it.
   */
  checksDepth?: boolean;
}

function has(payload: Body, key: string): boolean {
  return Object.hasOwn(payload, key);
}

/**
 * How an action's fields become Segment's `mapPayload` output: field renames (`id` → `person_id`,
 * `data` → `attributes`; `null` drops the field) and extra keys the builder computed (`device`,
 * `cio_relationships`, a rebuilt `attributes`), which win over fields of the same name.
 */
export interface PayloadShape {
  renames?: Readonly<Record<string, string | null>>;
  extra?: Body;
  /** `extra.attributes` is the builder's own fresh object: the pipeline may convert and stamp it in place. */
  ownedAttributes?: boolean;
}

/** The values `buildPayload` pulls out before building the body (§3.0 step 1), and the body. */
interface Extracted {
  readonly body: Body;
  person_id: unknown;
  anonymous_id: unknown;
  email: unknown;
  object_id: unknown;
  object_type_id: unknown;
  timestamp: unknown;
  hasTimestamp: boolean;
  hasConvert: boolean;
  convert: unknown;
  /** Whether the fields' own values were already converted (segment rule) while composing. */
  fieldsConverted: boolean;
  /** Whether the body's `attributes` came out of that conversion as a new object (the body's own). */
  attributesFresh: boolean;
  /** Whether the body's `attributes` is a field's value already converted while composing. */
  attributesConverted: boolean;
}

/**
 * A fresh Extracted, one per body. An object literal, not a class with field initializers: V8
 * clones a literal's boilerplate with its final shape in one step, where a class defines its 13
 * fields one by one (and its initializer was deoptimised after every full GC). Measured on the
 * trackEvent events, mapping + segment body: 1.16-1.23x.
 */
function extracted(body: Body): Extracted {
  return {
    body,
    person_id: undefined,
    anonymous_id: undefined,
    email: undefined,
    object_id: undefined,
    object_type_id: undefined,
    timestamp: undefined,
    hasTimestamp: false,
    hasConvert: false,
    convert: undefined,
    fieldsConverted: false,
    attributesFresh: false,
    attributesConverted: false,
  };
}

/** Where a payload entry goes: the body, nowhere, or one of the extracted slots (§3.0 step 1). */
const enum Slot { Body, Drop, PersonId, AnonymousId, Email, ObjectId, ObjectTypeId, Timestamp, Convert }

function slotOf(name: string): Slot {
  switch (name) {
    case 'person_id': return Slot.PersonId;
    case 'anonymous_id': return Slot.AnonymousId;
    case 'email': return Slot.Email;
    case 'object_id': return Slot.ObjectId;
    case 'object_type_id': return Slot.ObjectTypeId;
    case 'timestamp': return Slot.Timestamp;
    case 'convert_timestamp': return Slot.Convert;
    case 'enable_batching':
    case 'batch_size':
      return Slot.Drop;
  }
  return Slot.Body;
}

/** One payload key's route: its name after renaming and its slot; `converts` = a body value Segment converts. */
class Route {
  readonly converts: boolean;
  constructor(readonly name: string, readonly slot: Slot) {
    // Segment converts every body value but the type and action (§3.0 step 3).
    this.converts = slot === Slot.Body && name !== 'type' && name !== 'action';
  }
}

/** Routes per rename table (builders' constants, never changed), filled on first sight of each key. */
const ROUTES = new WeakMap<object, Map<string, Route>>();
const NO_RENAMES: Readonly<Record<string, string | null>> = Object.freeze({});
/** Routes of builders' extra keys (no renames apply to them). */
const EXTRA_ROUTES = new Map<string, Route>();

function routesFor(renames: Readonly<Record<string, string | null>>): Map<string, Route> {
  let routes = ROUTES.get(renames);
  if (routes === undefined) {
    routes = new Map();
    for (const key of Object.keys(renames)) {
      const name = renames[key];
      routes.set(key, name === null || name === undefined ? new Route(key, Slot.Drop) : new Route(name, slotOf(name)));
    }
    ROUTES.set(renames, routes);
  }
  return routes;
}

/**
 * The route of a key (its own name when not renamed). Keys first seen here come from the mapped
 * fields (action field keys) or a builder's extras; a few hundred at most, so the cache stays small.
 */
function routeOf(routes: Map<string, Route>, key: string): Route {
  let route = routes.get(key);
  if (route === undefined) {
    route = new Route(key, slotOf(key));
    if (routes.size < 1000) routes.set(key, route);
  }
  return route;
}

/** Puts one payload entry where `buildPayload` would: an extracted slot, dropped, or the body. */
function place(route: Route, value: unknown, ex: Extracted, body: Body): void {
  switch (route.slot) {
    case Slot.Body:
      // `undefined` vanishes in JSON; skipping it keeps bodies equal to their JSON form.
      if (value !== undefined) setOwn(body, route.name, value);
      return;
    case Slot.Drop: return;
    case Slot.PersonId: ex.person_id = value; return;
    case Slot.AnonymousId: ex.anonymous_id = value; return;
    case Slot.Email: ex.email = value; return;
    case Slot.ObjectId: ex.object_id = value; return;
    case Slot.ObjectTypeId: ex.object_type_id = value; return;
    case Slot.Timestamp: ex.timestamp = value; ex.hasTimestamp = true; return;
    case Slot.Convert: ex.convert = value; ex.hasConvert = true; return;
  }
}

/**
 * Whether Segment's deep conversion applies to these fields, decided before composing (so it can
 * run in the same walk as the depth check): only when nothing renames or supplies
 * `convert_timestamp` but the field itself.
 */
function convertsUpFront(fields: Readonly<Body>, shape: PayloadShape, profile: Profile): boolean {
  const { renames, extra } = shape;
  if (extra !== undefined && hasOwn.call(extra, 'convert_timestamp')) return false;
  if (renames !== undefined && touchesConvert(renames)) return false;
  // Segment converts when the field is set and not false; strict unless it is false (§0.5).
  const present = hasOwn.call(fields, 'convert_timestamp');
  return profile === 'segment' ? present && fields.convert_timestamp !== false : !(present && fields.convert_timestamp === false);
}

/** Per rename table (builders' constants): whether it renames `convert_timestamp` or renames into it. */
const TOUCHES_CONVERT = new WeakMap<object, boolean>();
function touchesConvert(renames: Readonly<Record<string, string | null>>): boolean {
  let touches = TOUCHES_CONVERT.get(renames);
  if (touches === undefined) {
    touches = hasOwn.call(renames, 'convert_timestamp') || Object.values(renames).includes('convert_timestamp');
    TOUCHES_CONVERT.set(renames, touches);
  }
  return touches;
}

/**
 * One pass over the fields (renamed) and the extra keys: the body's own keys in `ex.body`, the
 * extracted values in `ex`. No intermediate payload object, no `delete` (which would put the body
 * in V8's slow dictionary mode). Every field's depth is checked here (tooDeepField's rule, in field
 * order, before a field is dropped); with `segmentConvert`, values bound for the body are converted
 * by the deep rule in that same walk.
 */
function compose(type: string, action: string, fields: Readonly<Body>, shape: PayloadShape, profile: Profile, checkDepth: boolean): Extracted {
  const body: Body = { type, action };
  const ex = extracted(body);
  const routes = routesFor(shape.renames ?? NO_RENAMES);
  const extra = shape.extra;
  const convert = convertsUpFront(fields, shape, profile);
  // Segment converts every body value; strict only the attribute bags (here: a field's `attributes`).
  const segment = profile === 'segment';
  ex.fieldsConverted = convert;
  for (const key in fields) {
    if (!hasOwn.call(fields, key)) continue;
    const raw = fields[key];
    let value = raw;
    const route = routeOf(routes, key);
    // A renamed-away field, or one a builder's extra key replaces, is dropped (after its depth check).
    const kept = route.slot !== Slot.Drop && !(extra !== undefined && hasOwn.call(extra, route.name));
    const converts = convert && kept && route.converts && (segment || route.name === 'attributes');
    if (converts && typeof value === 'string') {
      if (segment) value = convertIsoValue(value);
    } else if (converts && isRecord(value)) value = convertTimestampsChecked(value, key);
    else if (checkDepth) checkFieldDepth(key, value);
    if (!kept) continue;
    if (route.name === 'attributes') {
      ex.attributesFresh = value !== raw;
      ex.attributesConverted = converts;
    }
    place(route, value, ex, body);
  }
  // Extra keys are never renamed.
  if (extra !== undefined) for (const key in extra) if (hasOwn.call(extra, key)) place(routeOf(EXTRA_ROUTES, key), extra[key], ex, body);
  return ex;
}

/** Segment's deep rule applied to one top-level value (strings and plain objects; arrays untouched). */
function convertDeepValue(value: unknown): unknown {
  if (typeof value === 'string') return convertIsoValue(value);
  return isRecord(value) ? convertTimestampsDeep(value) : value;
}

function resolveFor(action: string, ex: Extracted): Identifiers | undefined {
  // Extracted carries exactly the inputs identifier resolution reads.
  return action === 'merge' ? undefined : resolveIdentifiers(ex);
}

/**
 * §3.0 steps 5 and 7 on an attribute bag: with an anonymous id, Segment spreads the bag into a new
 * object with `anonymous_id` set, then deletes `anonymous_id` again when the person is identified
 * by it. `fresh` says the bag is already our own copy (it may be written to).
 */
function stampAnonymous(attributes: unknown, anonymousId: unknown, anonymous: boolean, fresh: boolean): unknown {
  const source = isRecord(attributes) ? attributes : undefined;
  if (!anonymous) {
    // Spread defines keys (a `__proto__` key stays data); `anonymous_id` keeps its place if present.
    const out: Body = fresh && source !== undefined ? source : { ...source };
    out.anonymous_id = anonymousId;
    return out;
  }
  if (source === undefined) return {};
  if (!Object.hasOwn(source, 'anonymous_id')) return fresh ? source : { ...source };
  const out: Body = {};
  for (const key of Object.keys(source)) if (key !== 'anonymous_id') setOwn(out, key, source[key]);
  return out;
}

/**
 * Segment's `buildPayload` (§3.0 steps 1–7), exactly: deep timestamp conversion of everything left
 * (names and ids included), the lenient root timestamp, `attributes.anonymous_id` stamping, identifiers.
 */
export function segmentBody(type: string, action: string, fields: Readonly<Body>, shape: PayloadShape = {}, checkDepth = false): Body {
  const ex = compose(type, action, fields, shape, 'segment', checkDepth);
  const body = ex.body;
  const originalAttributes = body.attributes;
  // An owned bag was copied by the builder: conversion may rewrite it in place.
  const owned = shape.ownedAttributes === true && isRecord(originalAttributes);
  if (ex.hasConvert && ex.convert !== false) {
    // The fields' values were converted while composing; what is left are the builder's extra keys.
    const source = ex.fieldsConverted ? shape.extra : body;
    if (source !== undefined) {
      // Only values of existing keys are replaced: the for-in enumeration is not disturbed.
      for (const key in source) {
        if (key === 'type' || key === 'action' || !hasOwn.call(source, key) || !hasOwn.call(body, key)) continue;
        const value = body[key];
        if (owned && key === 'attributes') convertTimestampsOwned(value as Body);
        else {
          const converted = convertDeepValue(value);
          if (converted !== value) setOwn(body, key, converted);
        }
      }
    }
  }
  if (ex.hasTimestamp && ex.timestamp) body.timestamp = segmentRootTimestamp(ex.timestamp);
  const identifiers = resolveFor(action, ex);
  // Conversion is copy-on-write: the bag is ours to write only if conversion made a new one.
  const fresh = owned || body.attributes !== originalAttributes || ex.attributesFresh;
  if (ex.anonymous_id) body.attributes = stampAnonymous(body.attributes, ex.anonymous_id, isAnonymous(identifiers), fresh);
  if (identifiers !== undefined) body.identifiers = identifiers;
  return body;
}

/** Converts an attribute bag by the strict ISO rule (copy-on-write); non-objects are returned as they are. */
export function convertBag(bag: unknown): unknown {
  return isRecord(bag) ? convertTimestampsDeep(bag) : bag;
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

function convertRelationships(relationships: unknown): unknown {
  if (!Array.isArray(relationships)) return relationships;
  return relationships.map((rel: unknown) =>
    isRecord(rel) && has(rel, 'relationship_attributes') ? { ...rel, relationship_attributes: convertBag(rel.relationship_attributes) } : rel,
  );
}

/**
 * The strict profile's pipeline: attribute bags (`attributes`, `device.attributes`,
 * `cio_relationships[].relationship_attributes`) converted by the ISO rule when `convert_timestamp`
 * allows it, root `timestamp` as integer seconds, identifiers required.
 */
export function strictBody(
  type: string,
  action: string,
  fields: Readonly<Body>,
  shape: PayloadShape,
  options: V2Options,
  warnings: string[],
): Body | { error: { field: string; message: string } } {
  const ex = compose(type, action, fields, shape, 'strict', options.checksDepth === true);
  const body = ex.body;
  const originalAttributes = body.attributes;
  const owned = shape.ownedAttributes === true && isRecord(originalAttributes);
  if (ex.convert !== false) {
    if (owned) convertTimestampsOwned(originalAttributes);
    else if (has(body, 'attributes') && !ex.attributesConverted) body.attributes = convertBag(body.attributes);
    if (isRecord(body.device) && has(body.device, 'attributes')) body.device = { ...body.device, attributes: convertBag(body.device.attributes) };
    if (has(body, 'cio_relationships')) body.cio_relationships = convertRelationships(body.cio_relationships);
  }
  const timestamp = ex.timestamp;
  if (ex.hasTimestamp && timestamp !== undefined && timestamp !== null && timestamp !== '') {
    const seconds = strictSeconds(timestamp, 'timestamp', warnings);
    if (seconds !== undefined) body.timestamp = seconds;
  }
  const identifiers = resolveFor(action, ex);
  if (identifiers === undefined && action !== 'merge') {
    const hint = options.identifierHint ?? `map \`${options.identifierField}\``;
    return { error: { field: options.identifierField, message: `no identifier: the event resolves to no Customer.io identifier (${hint})` } };
  }
  // Conversion is copy-on-write: the bag is ours to write only if conversion made a new one.
  const fresh = owned || body.attributes !== originalAttributes || ex.attributesFresh;
  if (ex.anonymous_id) body.attributes = stampAnonymous(body.attributes, ex.anonymous_id, isAnonymous(identifiers), fresh);
  if (identifiers !== undefined) body.identifiers = identifiers;
  return body;
}

let lastBase = '';
let lastEntityUrl = '/api/v2/entity';
/** `${baseUrl}/api/v2/entity`, built once per base URL rather than once per request. */
function entityUrl(baseUrl: string): string {
  if (baseUrl !== lastBase) {
    lastEntityUrl = `${baseUrl}/api/v2/entity`;
    lastBase = baseUrl;
  }
  return lastEntityUrl;
}

/**
 * Validates a finished v2 body for the profile (ajv; strict adds byte limits) and wraps it in the
 * `/api/v2/entity` request. Never throws.
 */
export function entityRequest(body: Body, ctx: BuildContext, warnings: string[] | undefined): BuildResult {
  let errors = validateEntity(ctx.profile, body);
  if (errors.length === 0 && ctx.profile === 'strict') errors = checkEntityLimits(body);
  if (errors.length > 0) return { ok: false, errors };
  const request = { method: 'POST' as const, url: entityUrl(ctx.baseUrl), body };
  return warnings !== undefined && warnings.length > 0 ? { ok: true, request, warnings } : { ok: true, request };
}

/**
 * Runs the profile's pipeline on an action's fields (shaped into Segment's `mapPayload` output by
 * `shape`) and returns the validated request.
 */
export function buildEntity(
  type: string,
  action: string,
  fields: Readonly<Body>,
  shape: PayloadShape,
  ctx: BuildContext,
  options: V2Options,
  warnings?: string[],
): BuildResult {
  // The segment pipeline never warns; strict gets a list only when the builder brought none.
  if (ctx.profile === 'segment') return entityRequest(segmentBody(type, action, fields, shape, options.checksDepth === true), ctx, warnings);
  warnings ??= [];
  const body = strictBody(type, action, fields, shape, options, warnings);
  if (!('type' in body)) return { ok: false, errors: [(body as { error: { field: string; message: string } }).error] };
  return entityRequest(body, ctx, warnings);
}
