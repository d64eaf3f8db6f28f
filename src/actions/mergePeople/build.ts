// Merge People → `person`/`merge` (customerio.md §3.14): primary and secondary person refs
// (cio_/email/id detection on both sides), no top-level identifiers.

import { personRef } from '../identifiers.js';
import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Builds the merge request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const primary = personRef(fields.primary);
  const secondary = personRef(fields.secondary);
  if (ctx.profile === 'strict') {
    const errors = [];
    if (primary === undefined) errors.push({ field: 'primary', message: 'no identifier: map `primary` to the person that remains' });
    if (secondary === undefined) errors.push({ field: 'secondary', message: 'no identifier: map `secondary` to the person merged away' });
    if (errors.length > 0) return { ok: false, errors };
  }
  return buildEntity('person', 'merge', fields, { extra: { primary, secondary } }, ctx, { identifierField: 'primary' });
}
