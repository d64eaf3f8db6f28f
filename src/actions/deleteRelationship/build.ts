// Delete Relationship → `object`/`delete_relationships` (customerio.md §3.10): the object, and the
// person whose relationship to it is removed.

import { personRef } from '../identifiers.js';
import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the relationship delete request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const person = personRef(fields.person_id);
  if (ctx.profile === 'strict' && person === undefined) {
    return { ok: false, errors: [{ field: 'person_id', message: 'no identifier: the relationship needs the person it belongs to' }] };
  }
  const shape = { extra: { cio_relationships: [{ identifiers: person }] } };
  return buildEntity('object', 'delete_relationships', fields, shape, ctx, {
    identifierField: 'object_id',
    identifierHint: 'map `object_id`',
  });
}
