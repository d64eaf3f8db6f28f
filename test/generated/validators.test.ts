// The committed validators in src/generated/ are exactly what scripts/gen-validators.ts writes from
// today's schemas and options (the build regenerates them; this catches a commit without them).

import { describe, expect, it } from 'vitest';
import { outdated } from '../../scripts/gen-validators.js';

describe('src/generated', () => {
  it('is up to date with the schemas (run `npm run build` and commit src/generated/)', () => {
    const { stale, stray } = outdated();
    expect(stale.map(([file]) => file)).toEqual([]);
    expect(stray).toEqual([]);
  });
});
