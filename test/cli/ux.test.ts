// What a new user meets first (issue 16): warnings that reach the NDJSON and the summary, errors
// that say where, one line numbering, skips with reasons, a dry run without credentials, --explain.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, EXAMPLES, ndjson, tempDir } from './helpers.js';

const CONFIG = path.join(EXAMPLES, 'destination.json');
const CREDENTIALS = { CUSTOMERIO_SITE_ID: 'site-1', CUSTOMERIO_API_KEY: 'key-1' };

describe('run: every warning reaches the user', () => {
  it('puts the warnings of a request on its line and counts them in the summary', async () => {
    const input = [
      JSON.stringify({ type: 'track', userId: 'u1', event: 'X', timestamp: 'yesterday' }),
      JSON.stringify({ type: 'identify', userId: 'u1', traits: { created_at: 'yesterday' } }),
      JSON.stringify({ type: 'identify', userId: 'u2', traits: { created_at: '2024-06-03T09:00:00Z' } }),
    ].join('\n');
    const r = await cli(['run', '-'], { input, env: CREDENTIALS });
    expect(r.code).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows).toHaveLength(3);
    expect(rows[0]?.warnings).toEqual(['timestamp dropped: not a date Customer.io can read']);
    expect(rows[1]?.warnings).toEqual(['created_at dropped: not a date Customer.io can read']);
    expect(rows[2]).not.toHaveProperty('warnings');
    expect(r.stderr).toContain('3 events: 3 requests, 0 failed, 2 warnings');
  });
});
