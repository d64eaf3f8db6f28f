// Track Event → `person`/`event` (customerio.md §3.3): `name`, `id` = the event id (messageId),
// `attributes` = the event data, for a known or anonymous person.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the event request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { id, event_id, data, ...rest } = fields;
  const payload = { ...rest, person_id: id, id: event_id, attributes: data };
  return buildEntity('person', 'event', payload, ctx, {
    identifierField: 'id',
    identifierHint: 'map `id` or `anonymous_id`',
  });
}
