// Track Event → `person`/`event` (customerio.md §3.3): `name`, `id` = the event id (messageId),
// `attributes` = the event data, for a known or anonymous person.

import { buildEntity, type PayloadShape, type V2Options } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Segment's `mapPayload`: `{...rest, person_id: id, id: event_id, attributes: data}`. */
const SHAPE: PayloadShape = { renames: { id: 'person_id', event_id: 'id', data: 'attributes' } };

/** The v2 pipeline checks value depth while it converts timestamps (no separate walk before building). */
export const checksDepth = true;

const OPTIONS: V2Options = { identifierField: 'id', identifierHint: 'map `id` or `anonymous_id`', checksDepth };

/** Builds the event request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  return buildEntity('person', 'event', fields, SHAPE, ctx, OPTIONS);
}
