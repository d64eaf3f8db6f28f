// Delete Device → `person`/`delete_device` (customerio.md §3.7): the device token and the person.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** `device_id` goes into `device` (kept constant: the pipeline compiles each rename table once). */
const RENAMES = { device_id: null };

/** Builds the delete_device request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const shape = { renames: RENAMES, extra: { device: { token: fields.device_id } } };
  return buildEntity('person', 'delete_device', fields, shape, ctx, { identifierField: 'person_id' });
}
