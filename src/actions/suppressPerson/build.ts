// Suppress Person → `person`/`suppress` (customerio.md §3.12): a body with only the person's identifiers.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the suppress request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  return buildEntity('person', 'suppress', fields, {}, ctx, { identifierField: 'person_id', identifierHint: 'map `person_id`' });
}
