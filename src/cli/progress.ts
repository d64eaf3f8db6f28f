// A progress line on stderr for long runs, only when stderr is a terminal: redrawn in place a few
// times a second, erased at the end so the final summary stands alone.

import type { Writable } from 'node:stream';

export interface Counters {
  events: number;
  requests: number;
  /** Error lines written. */
  errors: number;
  /** Events with at least one error line. */
  failed: number;
  /** Warnings printed (a value dropped or replaced by the strict profile), optional for callers that have none. */
  warnings?: number;
  /** Events no subscription served, optional for callers that do not count them. */
  skipped?: number;
}

/** All counters at zero. */
export function newCounters(): Counters {
  return { events: 0, requests: 0, errors: 0, failed: 0, warnings: 0, skipped: 0 };
}

/** Adds `more` into `into` (a worker thread's counts into the run's). */
export function addCounters(into: Counters, more: Readonly<Counters>): void {
  for (const key of Object.keys(more) as Array<keyof Counters>) into[key] = (into[key] ?? 0) + (more[key] ?? 0);
}

export interface Progress {
  /** Stops redrawing and erases the line. */
  stop(): void;
}

/** Starts redrawing `counters` every `intervalMs` on `stream` if it is a TTY (otherwise does nothing). */
export function startProgress(stream: Writable & { isTTY?: boolean }, counters: Readonly<Counters>, intervalMs = 250): Progress {
  if (stream.isTTY !== true) return { stop() {} };
  const started = performance.now();
  let drawn = false;
  const draw = () => {
    const seconds = (performance.now() - started) / 1000;
    if (seconds < 1) return; // short runs never show a progress line
    const rate = Math.round(counters.events / seconds).toLocaleString('en-US');
    const n = (x: number) => x.toLocaleString('en-US');
    stream.write(`\r\u001b[K${n(counters.events)} events · ${n(counters.requests)} requests · ${n(counters.errors)} errors · ${rate} events/s`);
    drawn = true;
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
