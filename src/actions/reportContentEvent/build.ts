// Report Content Event → `person`/`viewed_content` or `clicked_content` (customerio.md §3.16): both
// `action` and `name` are the action type; the event data minus `actionType`; anonymous identity only.

import { CONTENT_ACTIONS } from './fields.js';
import { copyRecord, isRecord } from '../../evaluator/value.js';
import { buildEntity } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Fields this builder consumes (kept constant: the pipeline compiles each rename table once). */
const RENAMES = { actionType: null, data: null };

/** Builds the content-event request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { actionType, data } = fields;
  if (typeof actionType !== 'string' || !(CONTENT_ACTIONS as readonly string[]).includes(actionType)) {
    return { ok: false, errors: [{ field: 'actionType', message: `must be one of ${CONTENT_ACTIONS.map((a) => JSON.stringify(a)).join(', ')}` }] };
  }
  let attributes: unknown = data;
  if (isRecord(data)) {
    const copy = copyRecord(data);
    delete copy.actionType;
    attributes = copy;
  }
  const shape = { renames: RENAMES, extra: { name: actionType, attributes } };
  return buildEntity('person', actionType, fields, shape, ctx, {
    identifierField: 'anonymous_id',
    identifierHint: 'content events identify people by `anonymous_id` only',
  });
}
