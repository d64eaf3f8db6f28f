// Unsuppress Person → `person`/`unsuppress` (customerio.md §3.13): a body with only the person's identifiers.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the unsuppress request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  return buildEntity('person', 'unsuppress', fields, {}, ctx, { identifierField: 'person_id', identifierHint: 'map `person_id`' });
}
