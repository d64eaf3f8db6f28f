// Linearity checks without absolute timings: run the same work at sizes n and 8n and compare.
// Linear work gives a ratio near 8, quadratic near 64; the bound sits between. The machine is
// shared (load 10+ on 2 cores is common), so small and large runs are interleaved in rounds of
// equal wall time and the median round decides: load changes hit both sides of a round alike.

import { expect } from 'vitest';

/** Size multiplier between the small and the large run. */
export const FACTOR = 8;
/** Largest accepted time ratio for FACTOR× the input: 4× linear slack (8× larger inputs also leave the
 * CPU caches: ratios of 17–30 were seen for linear work on a loaded machine), half of quadratic (64). */
export const MAX_RATIO = 32;

/** CPU time of the process in ms (user + system): unlike wall time, it does not grow when other
 * processes take the cores, which on a loaded 2-core machine made wall-time ratios swing 15–32. */
const time = (fn: () => void): number => {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
};

/** One round: FACTOR small runs against one large run (about equal wall time when linear). */
function roundRatio(work: () => void, workBig: () => void, bigFirst: boolean): number {
  const big1 = bigFirst ? time(workBig) : 0;
  let small = 0;
  for (let i = 0; i < FACTOR; i++) small += time(work);
  const big = bigFirst ? big1 : time(workBig);
  return big / Math.max(small / FACTOR, 0.001);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Asserts `work(n)` scales at most linearly (with slack): time(8n) / time(n) < MAX_RATIO, as the
 * median of 3 interleaved rounds (a second set of rounds when the first fails). The small size
 * is doubled until one run takes ≥ 8 ms (shorter runs are dominated by GC pauses), up to `maxN`. `make(n)` builds inputs outside the timing.
 */
export function expectLinear<T>(label: string, make: (n: number) => T, work: (input: T) => void, n0: number, maxN = n0 * 64): { n: number; ratio: number } {
  let n = n0;
  let input = make(n);
  work(input); // warm-up
  while (time(() => work(input)) < 8 && n * 2 <= maxN) {
    n *= 2;
    input = make(n);
    work(input);
  }
  const big = make(n * FACTOR);
  const small = input;
  work(big); // warm-up of the large size
  const ratios: number[] = [];
  let ratio = Infinity;
  for (let set = 0; set < 2 && ratio >= MAX_RATIO; set++) {
    for (let r = 0; r < 3; r++) ratios.push(roundRatio(() => work(small), () => work(big), r % 2 === 1));
    ratio = median(ratios);
  }
  expect(ratio, `${label}: n=${n}, round ratios ${ratios.map((x) => x.toFixed(1)).join(' ')}`).toBeLessThan(MAX_RATIO);
  return { n, ratio };
}
