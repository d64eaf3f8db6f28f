// Linearity checks without absolute timings: run the same work at sizes n and 8n and compare
// the best-of-k times. Linear work gives a ratio near 8, quadratic near 64; the bound sits between.

import { expect } from 'vitest';

/** Best (minimum) wall time in ms of `reps` calls of `fn`, after one warm-up call unless told not to. */
export function bestTime(fn: () => void, reps = 5, warmUp = true): number {
  if (warmUp) fn();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Size multiplier between the small and the large run. */
export const FACTOR = 8;
/** Largest accepted time ratio for FACTOR× the input: 3× linear slack, well below quadratic (64). */
export const MAX_RATIO = 24;

/**
 * Asserts `work(n)` scales at most linearly (with slack): time(8n) / time(n) < MAX_RATIO. The
 * small size is raised until it takes ≥ 4 ms so timer resolution and noise cannot dominate, and
 * a failing ratio is measured again (up to four times in all; the machine is shared and a
 * single run can be 10× slower than the next) before it counts: GC pauses are noise,
 * a quadratic algorithm fails every time. `make(n)` builds the input outside the timed part.
 */
export function expectLinear<T>(label: string, make: (n: number) => T, work: (input: T) => void, n0: number, maxN = n0 * 64): { n: number; small: number; large: number; ratio: number } {
  let n = n0;
  let input = make(n);
  let small = bestTime(() => work(input));
  while (small < 4 && n * 2 <= maxN) {
    n *= 2;
    input = make(n);
    small = bestTime(() => work(input));
  }
  const bigInput = make(n * FACTOR);
  let large = bestTime(() => work(bigInput), 3, false);
  let ratio = large / Math.max(small, 0.001);
  for (let attempt = 1; attempt < 4 && ratio >= MAX_RATIO; attempt++) {
    small = Math.min(small, bestTime(() => work(input)));
    large = Math.min(large, bestTime(() => work(bigInput), 3, false));
    ratio = large / Math.max(small, 0.001);
  }
  expect(ratio, `${label}: n=${n} ${small.toFixed(2)} ms, ${FACTOR}n ${large.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`).toBeLessThan(MAX_RATIO);
  return { n, small, large, ratio };
}
