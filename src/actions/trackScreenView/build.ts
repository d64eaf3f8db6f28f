// Track Screen View → `person`/`screen` (customerio.md §3.5): the screen name is the body's `name`.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the screen request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { id, event_id, data, ...rest } = fields;
  const payload: Record<string, unknown> = { ...rest, person_id: id, attributes: data };
  if (event_id) payload.id = event_id;
  return buildEntity('person', 'screen', payload, ctx, {
    identifierField: 'id',
    identifierHint: 'map `id` or `anonymous_id`',
  });
}
