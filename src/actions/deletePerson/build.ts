// Delete Person → `person`/`delete` (customerio.md §3.11): a body with only the person's identifiers.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the delete request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  return buildEntity('person', 'delete', fields, {}, ctx, { identifierField: 'person_id', identifierHint: 'map `person_id`' });
}
