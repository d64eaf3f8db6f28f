// Delete Device → `person`/`delete_device` (customerio.md §3.7): the device token and the person.

import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the delete_device request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { device_id, ...rest } = fields;
  return buildEntity('person', 'delete_device', { ...rest, device: { token: device_id } }, ctx, {
    identifierField: 'person_id',
  });
}
