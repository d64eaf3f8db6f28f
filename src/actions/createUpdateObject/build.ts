// Create or Update Object → `object`/`identify` or `identify_anonymous` (customerio.md §3.8): the
// object's attributes, its type (default "1"), and a relationship to the person (or anonymous id).

import { resolveIdentifiers } from '../identifiers.js';
import { copyRecord, isRecord, setOwn } from '../../evaluator/value.js';
import { buildEntity, strictSeconds } from '../payload.js';
import { convertTimestampsDeep } from '../timestamps.js';
import type { BuildContext, BuildResult } from '../types.js';

type Body = Record<string, unknown>;

/** Segment deletes `traits.object_type_id`/`traits.relationshipAttributes` inside the attributes; copy first. */
function withoutNestedTraitKeys(attributes: unknown): unknown {
  if (!isRecord(attributes) || !isRecord(attributes.traits)) return attributes;
  const traits = copyRecord(attributes.traits);
  delete traits.object_type_id;
  delete traits.relationshipAttributes;
  const copy = copyRecord(attributes);
  copy.traits = traits;
  return copy;
}

/** Attribute keys other fields carry (type id, relationship attributes): removed from the object's attributes. */
const MAPPED_KEYS = ['object_type_id', 'objectTypeId', 'relationshipAttributes'];

function withoutMappedKeys(attributes: unknown): unknown {
  if (!isRecord(attributes) || !MAPPED_KEYS.some((key) => Object.hasOwn(attributes, key))) return attributes;
  const copy = copyRecord(attributes);
  for (const key of MAPPED_KEYS) delete copy[key];
  return copy;
}

/** Fields Segment's `mapPayload` destructures out (everything else passes through as `...rest`). */
const CONSUMED: ReadonlySet<string> = new Set(['id', 'convert_timestamp', 'custom_attributes', 'relationship_attributes', 'user_id', 'anonymous_id', 'object_type_id']);

/** `...rest`: the fields not consumed, in one pass (cheaper than rest destructuring). */
function restOf(fields: Readonly<Body>, except?: string): Body {
  const out: Body = {};
  for (const key of Object.keys(fields)) if (!CONSUMED.has(key) && key !== except) setOwn(out, key, fields[key]);
  return out;
}

function relationshipFor(userId: unknown, anonymousId: unknown, relationshipAttributes: unknown): { action: string; relationships?: Body[] } {
  let identifiers: unknown;
  let action = 'identify';
  if (userId) identifiers = resolveIdentifiers({ person_id: userId });
  else if (anonymousId) {
    action = 'identify_anonymous';
    identifiers = { anonymous_id: anonymousId };
  } else return { action };
  const relationship: Body = { identifiers };
  if (relationshipAttributes) relationship.relationship_attributes = relationshipAttributes;
  return { action, relationships: [relationship] };
}

/** Segment's `mapPayload` (conversion runs over the whole body, ids included) and `buildPayload`. */
function segmentPayload(fields: Readonly<Body>): { action: string; payload: Body } {
  const { id, convert_timestamp, custom_attributes, relationship_attributes, user_id, anonymous_id, object_type_id } = fields;
  let body = restOf(fields);
  body.anonymous_id = anonymous_id;
  body.person_id = user_id;
  body.attributes = withoutNestedTraitKeys(custom_attributes);
  body.object_type_id = object_type_id ?? '1';
  body.object_id = id;
  let relAttrs = relationship_attributes;
  if (Object.hasOwn(fields, 'convert_timestamp') && convert_timestamp !== false) {
    body = convertTimestampsDeep(body);
    if (isRecord(relationship_attributes)) relAttrs = convertTimestampsDeep(relationship_attributes);
  }
  if (Object.hasOwn(fields, 'created_at') && !fields.created_at) delete body.created_at;
  body.attributes = withoutMappedKeys(body.attributes);
  const { action, relationships } = relationshipFor(user_id, anonymous_id, relAttrs);
  if (relationships) body.cio_relationships = relationships;
  return { action, payload: body };
}

/** Strict: ids untouched; `created_at` integer seconds; bags converted by the shared strict pipeline. */
function strictPayload(fields: Readonly<Body>, warnings: string[]): { action: string; payload: Body } {
  const { id, custom_attributes, relationship_attributes, user_id, anonymous_id, object_type_id, created_at } = fields;
  const body = restOf(fields, 'created_at');
  body.anonymous_id = anonymous_id;
  body.person_id = user_id;
  body.attributes = withoutMappedKeys(withoutNestedTraitKeys(custom_attributes));
  body.object_type_id = object_type_id ?? '1';
  body.object_id = id;
  if (created_at) {
    const seconds = strictSeconds(created_at, 'created_at', warnings);
    if (seconds !== undefined) body.created_at = seconds;
  }
  const { action, relationships } = relationshipFor(user_id, anonymous_id, relationship_attributes);
  if (relationships) body.cio_relationships = relationships;
  return { action, payload: body };
}

/** Builds the object identify request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const warnings: string[] = [];
  const { action, payload } = ctx.profile === 'segment' ? segmentPayload(fields) : strictPayload(fields, warnings);
  return buildEntity('object', action, payload, {}, ctx, { identifierField: 'id', identifierHint: 'map the object `id`' }, warnings);
}
