// Fuzzing knobs shared by the robustness suite: fixed seeds by default (CI is reproducible),
// FUZZ_RUNS / FUZZ_SEED to run longer or differently, and a tally of generated cases per file.

import fc from 'fast-check';

/** Seed of every property (override with FUZZ_SEED to explore; the failing seed is printed by fast-check). */
export const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : 20261128;

const requested = process.env['FUZZ_RUNS'] !== undefined ? Number(process.env['FUZZ_RUNS']) : undefined;

/** True when a long run was asked for (FUZZ_RUNS set): tests lift their time limits. */
export const LONG_RUN = requested !== undefined && Number.isFinite(requested) && requested > 0;

/** Vitest timeout for a property: generous by default, unlimited-in-practice on long runs. */
export const PROPERTY_TIMEOUT = LONG_RUN ? 24 * 3600_000 : 90_000;

/**
 * Number of runs for a property: `base` in CI; with FUZZ_RUNS=N, `N × base / 1000` (so the
 * default-1000 properties run exactly N times and cheaper/dearer ones scale with them).
 */
export function runs(base: number): number {
  if (!LONG_RUN) return base;
  return Math.max(base, Math.round(((requested as number) * base) / 1000));
}

const tally = new Map<string, number>();

/** fc.assert with the suite's seed and run count; counts every generated case under `name`. */
export function check<Ts extends [unknown, ...unknown[]]>(
  name: string,
  base: number,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
): void | Promise<void> {
  const numRuns = runs(base);
  tally.set(name, (tally.get(name) ?? 0) + numRuns);
  const params = { seed: SEED, numRuns, endOnFailure: true } as const;
  if ('isAsync' in property && property.isAsync()) return fc.assert(property as fc.IAsyncProperty<Ts>, params);
  return fc.assert(property as fc.IProperty<Ts>, params);
}

/** Adds cases that were generated outside fast-check (hand-built hostile inputs). */
export function countCases(name: string, n: number): void {
  tally.set(name, (tally.get(name) ?? 0) + n);
}

/** One line per property with its generated-case count; printed by each file's afterAll. */
export function tallyReport(file: string): string {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const rows = [...tally.entries()].map(([k, v]) => `  ${k}: ${v}`).join('\n');
  return `[robustness] ${file}: ${total} generated cases (seed ${SEED})\n${rows}`;
}
