// Delete Object → `object`/`delete` (customerio.md §3.9): the object's id and type (default "1").
// Segment sends a body without identifiers when the id is missing; strict reports it (§3.17 item 1).

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the object delete request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  return buildEntity('object', 'delete', fields, {}, ctx, { identifierField: 'object_id', identifierHint: 'map `object_id`' });
}
