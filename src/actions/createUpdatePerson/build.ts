// Create or Update Person → `person`/`identify` (customerio.md §3.2): traits become attributes minus
// the keys mapped to other fields, `created_at` and `email` re-added, an optional object relationship.

import { copyObject, isPlainObject } from '../objects.js';
import { buildEntity, strictSeconds } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Trait keys Segment removes from the attributes because other fields carry them. */
const MAPPED_TRAITS = ['createdAt', 'created_at', 'object_type_id', 'relationshipAttributes', 'objectTypeId'];

/** Builds the identify request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { id, custom_attributes, relationship_attributes, created_at, group_id, object_type_id, ...rest } = fields;
  const warnings: string[] = [];
  // Segment deletes these keys from the mapped traits in place; we work on a copy.
  const attributes = isPlainObject(custom_attributes) ? copyObject(custom_attributes) : {};
  for (const key of MAPPED_TRAITS) delete attributes[key];
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
  const payload: Record<string, unknown> = { ...rest, person_id: id, attributes };
  if (group_id) {
    const relationship: Record<string, unknown> = {
      identifiers: { object_type_id: object_type_id ?? '1', object_id: group_id },
    };
    if (relationship_attributes) relationship.relationship_attributes = relationship_attributes;
    payload.cio_relationships = [relationship];
  }
  return buildEntity('person', 'identify', payload, ctx, {
    identifierField: 'id',
    identifierHint: 'map `id`, `email` or `anonymous_id`',
  }, warnings);
}
