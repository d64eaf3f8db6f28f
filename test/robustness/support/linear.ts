// Linearity checks without absolute timings: run the same work at sizes n and 8n and compare
// the best-of-k times. Linear work gives a ratio near 8, quadratic near 64; the bound sits between.

import { expect } from 'vitest';

/** Best (minimum) wall time in ms of `reps` calls of `fn`, after one warm-up call. */
export function bestTime(fn: () => void, reps = 5): number {
  fn();
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
 * small size is raised until it takes ≥ 2 ms so timer resolution and noise cannot dominate.
 * `make(n)` builds the input outside the timed part.
 */
export function expectLinear<T>(label: string, make: (n: number) => T, work: (input: T) => void, n0: number, maxN = n0 * 64): { n: number; small: number; large: number; ratio: number } {
  let n = n0;
  let input = make(n);
  let small = bestTime(() => work(input));
  while (small < 2 && n * 2 * FACTOR <= maxN * FACTOR) {
    n *= 2;
    input = make(n);
    small = bestTime(() => work(input));
  }
  const bigInput = make(n * FACTOR);
  const large = bestTime(() => work(bigInput), 3);
  const ratio = large / Math.max(small, 0.001);
  expect(ratio, `${label}: n=${n} ${small.toFixed(2)} ms, ${FACTOR}n ${large.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`).toBeLessThan(MAX_RATIO);
  return { n, small, large, ratio };
}
