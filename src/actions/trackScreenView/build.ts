// Track Screen View → `person`/`screen` (customerio.md §3.5): the screen name is the body's `name`.

import { buildEntity, type PayloadShape, type V2Options } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Segment's `mapPayload`: `{...rest, person_id: id, attributes: data}`, plus `id: event_id` when set. */
const WITH_ID: PayloadShape = { renames: { id: 'person_id', event_id: 'id', data: 'attributes' } };
const WITHOUT_ID: PayloadShape = { renames: { id: 'person_id', event_id: null, data: 'attributes' } };

/** The v2 pipeline checks value depth while it converts timestamps (no separate walk before building). */
export const checksDepth = true;

const OPTIONS: V2Options = { identifierField: 'id', identifierHint: 'map `id` or `anonymous_id`', checksDepth };

/** Builds the screen request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  return buildEntity('person', 'screen', fields, fields.event_id ? WITH_ID : WITHOUT_ID, ctx, OPTIONS);
}
