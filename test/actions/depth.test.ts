// The field depth limit (limits.ts MAX_VALUE_DEPTH) holds the same for every action and profile,
// whether the registry's guard checks it or the v2 pipeline does (fused with the timestamp walk).

import { describe, expect, it } from 'vitest';
import { ACTIONS, actionKeys } from '../../src/actions/index.js';
import { MAX_VALUE_DEPTH } from '../../src/actions/limits.js';
import type { BuildContext, Profile } from '../../src/actions/types.js';

/** A value `levels` deep (the value itself is level 1), alternating objects and lists, with an ISO date at the bottom. */
function nest(levels: number): unknown {
  let v: unknown = '2024-01-01T00:00:00Z';
  for (let i = 0; i < levels; i++) v = i % 3 === 2 ? [v] : { d: v };
  return v;
}

/** Plain objects only, `levels` deep: the part the timestamp walk itself recurses into. */
function nestObjects(levels: number): unknown {
  let v: unknown = '2024-01-01T00:00:00Z';
  for (let i = 0; i < levels; i++) v = { d: v };
  return v;
}

const cases = actionKeys.flatMap((key) =>
  (['segment', 'strict'] as Profile[]).flatMap((profile) =>
    Object.keys(ACTIONS[key].fields).map((field) => [key, profile, field] as const),
  ),
);

describe.each(cases)('%s %s: field %s', (key, profile, field) => {
  const ctx: BuildContext = { profile, baseUrl: 'https://track.customer.io', now: () => 1_735_689_600_000 };
  const base = { id: 'u1', person_id: 'u1', name: 'x', convert_timestamp: true };
  it.each([
    ['mixed objects and lists', nest],
    ['objects only', nestObjects],
  ])('%s: refused one level past the limit, never for depth alone at the limit', (_name, make) => {
    const over = ACTIONS[key].build({ ...base, [field]: make(MAX_VALUE_DEPTH + 1) }, ctx);
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.errors).toEqual([{ field, message: `${key}: \`${field}\` is nested more than ${MAX_VALUE_DEPTH} levels deep` }]);
    const at = ACTIONS[key].build({ ...base, [field]: make(MAX_VALUE_DEPTH) }, ctx);
    if (!at.ok) for (const e of at.errors) expect(e.message).not.toMatch(/levels deep|could not build/);
  });
});
