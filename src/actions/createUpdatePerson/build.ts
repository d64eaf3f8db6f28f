// createUpdatePerson: builds the Track API request from mapped fields (customerio.md §3). Placeholder until Step 3.

import type { BuildContext, BuildResult } from '../types.js';

/** Builds the request body; not implemented yet. */
export function build(_fields: Readonly<Record<string, unknown>>, _ctx: BuildContext): BuildResult {
  return { ok: false, errors: [{ message: 'not implemented' }] };
}
