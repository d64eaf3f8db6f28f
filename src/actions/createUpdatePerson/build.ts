// Create or Update Person → `person`/`identify` (customerio.md §3.2): traits become attributes minus
// the keys mapped to other fields, `created_at` and `email` re-added, an optional object relationship.

import { isRecord, setOwn } from '../../evaluator/value.js';
import { buildEntity, strictSeconds, type V2Options } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Trait keys Segment removes from the attributes because other fields carry them. */
const MAPPED_TRAITS: ReadonlySet<string> = new Set(['createdAt', 'created_at', 'object_type_id', 'relationshipAttributes', 'objectTypeId']);

function hasMappedTrait(traits: Record<string, unknown>): boolean {
  for (const key of MAPPED_TRAITS) if (Object.hasOwn(traits, key)) return true;
  return false;
}

/** Fields consumed here (Segment's `mapPayload` destructures them out); `id` becomes `person_id`. */
const RENAMES = { id: 'person_id', custom_attributes: null, relationship_attributes: null, created_at: null, group_id: null, object_type_id: null };

/** The v2 pipeline checks value depth while it converts timestamps (no separate walk before building). */
export const checksDepth = true;

const OPTIONS: V2Options = { identifierField: 'id', identifierHint: 'map `id`, `email` or `anonymous_id`', checksDepth };

/** Builds the identify request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { custom_attributes, relationship_attributes, created_at, group_id, object_type_id } = fields;
  const warnings: string[] = [];
  // Segment deletes these keys from the mapped traits in place; we work on a copy (spread clones
  // the whole shape at once when no key has to go; `delete` would make it a slow dictionary).
  let attributes: Record<string, unknown>;
  if (!isRecord(custom_attributes)) attributes = {};
  else if (!hasMappedTrait(custom_attributes)) attributes = { ...custom_attributes };
  else {
    attributes = {};
    for (const key of Object.keys(custom_attributes)) if (!MAPPED_TRAITS.has(key)) setOwn(attributes, key, custom_attributes[key]);
  }
  if (created_at) {
    if (ctx.profile === 'strict') {
      // Strict: `created_at` is always integer seconds, so "is a timestamp" segments work (§3.17 item 3).
      const seconds = strictSeconds(created_at, 'created_at', warnings);
      if (seconds !== undefined) attributes.created_at = seconds;
    } else {
      attributes.created_at = created_at;
    }
  }
  if (fields.email) attributes.email = fields.email;
  const extra: Record<string, unknown> = { attributes };
  if (group_id) {
    const relationship: Record<string, unknown> = {
      identifiers: { object_type_id: object_type_id ?? '1', object_id: group_id },
    };
    if (relationship_attributes) relationship.relationship_attributes = relationship_attributes;
    extra.cio_relationships = [relationship];
  }
  return buildEntity('person', 'identify', fields, { renames: RENAMES, extra, ownedAttributes: true }, ctx, OPTIONS, warnings);
}
