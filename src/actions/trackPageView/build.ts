// Track Page View → `person`/`page` (customerio.md §3.4): the page URL is the body's `name`.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the page request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { id, event_id, data, url, ...rest } = fields;
  const payload = { ...rest, person_id: id, id: event_id, name: url, attributes: data };
  return buildEntity('person', 'page', payload, ctx, {
    identifierField: 'id',
    identifierHint: 'map `id` or `anonymous_id`',
  });
}
