// Time and randomness for delivery, injectable so retry/backoff and flush timing are testable:
// the sender and the batcher read `Clock` and `Random` instead of Date.now/Math.random.

/** The delivery runtime's view of time. `sleep` must resolve early (not reject) when `signal` aborts. */
export interface Clock {
  /** Milliseconds since the epoch (or any monotonic origin). */
  now(): number;
  /** Waits `ms` milliseconds. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A uniform random number in [0, 1). */
export type Random = () => number;

/** The real clock: `Date.now` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * A seeded PRNG (mulberry32): the same seed gives the same jitter sequence, so a test that
 * injects faults and backoff is reproducible.
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
