// Track Page View → `person`/`page` (customerio.md §3.4): the page URL is the body's `name`.

import { buildEntity, type PayloadShape, type V2Options } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Segment's `mapPayload`: `{...rest, person_id: id, id: event_id, name: url, attributes: data}`. */
const SHAPE: PayloadShape = { renames: { id: 'person_id', event_id: 'id', url: 'name', data: 'attributes' } };

/** The v2 pipeline checks value depth while it converts timestamps (no separate walk before building). */
export const checksDepth = true;

const OPTIONS: V2Options = { identifierField: 'id', identifierHint: 'map `id` or `anonymous_id`', checksDepth };

/** Builds the page request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  return buildEntity('person', 'page', fields, SHAPE, ctx, OPTIONS);
}
