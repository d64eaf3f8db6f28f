// The circuit breaker of a delivery run: consecutive failed attempts (timeouts, refused or dropped
// connections, 5xx) or a high error rate over the last attempts pause sending; one probe at a time
// tests the API; past `maxOutageMs` without a success the run ends (the caller stops it).

import type { Clock } from './clock.js';

/** Thresholds of the breaker (defaults in BREAKER_DEFAULTS). */
export interface BreakerConfig {
  /** Consecutive failed attempts that open the breaker. */
  failures: number;
  /** Attempts the error rate is measured over. */
  window: number;
  /** Fraction of failed attempts in a full window that opens the breaker. */
  errorRate: number;
  /** First wait before a probe while open; doubles per failed probe up to `maxProbeMs`. */
  probeMs: number;
  maxProbeMs: number;
  /** Time since the first failing attempt of an unbroken failure streak after which the run ends; Infinity = never. */
  maxOutageMs: number;
}

export const BREAKER_DEFAULTS = Object.freeze({
  failures: 5,
  window: 40,
  errorRate: 0.6,
  probeMs: 250,
  maxProbeMs: 5_000,
  maxOutageMs: 60_000,
});

/**
 * The sender asks `admit` before every attempt and reports each attempt's outcome to `record`.
 * While open only one attempt (the probe) is admitted at a time; the others wait. `onTrip` is
 * called once when the outage outlasted `maxOutageMs`; from then on `admit` answers false.
 */
export class Breaker {
  private consecutive = 0;
  /** When the first failed attempt of the current failure streak began. */
  private streakStart: number | undefined;
  private readonly recent: boolean[] = [];
  private recentFailures = 0;
  private open = false;
  private probing = false;
  private failedProbes = 0;
  private nextProbeAt = 0;
  private tripped = false;
  private tripTimer: ReturnType<typeof setTimeout> | undefined;
  private wake: Array<() => void> = [];
  /** The last failed attempt, described (e.g. `network: fetch failed: ECONNREFUSED`). */
  lastFailure = '';

  constructor(
    private readonly cfg: BreakerConfig,
    private readonly clock: Clock,
    private readonly onTrip: () => void,
  ) {}

  /** True while sending is paused. */
  get isOpen(): boolean {
    return this.open;
  }

  get isTripped(): boolean {
    return this.tripped;
  }

  /** How long the current outage has lasted (0 when none). */
  outageMs(): number {
    return this.streakStart === undefined ? 0 : Math.max(0, this.clock.now() - this.streakStart);
  }

  /** Resolves true when an attempt may start; false when the outage limit passed or `signal` aborted. */
  async admit(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (this.tripped || signal?.aborted) return false;
      if (!this.open) return true;
      const now = this.clock.now();
      if (!this.probing && now >= this.nextProbeAt) {
        this.probing = true;
        return true;
      }
      const changed = new Promise<void>((resolve) => this.wake.push(resolve));
      if (this.probing) await changed;
      else await Promise.race([this.clock.sleep(this.nextProbeAt - now, signal), changed]);
    }
  }

  /** One attempt's outcome: `ok` = the API answered (anything but 5xx); `startedAt` = when the attempt began (clock time). */
  record(ok: boolean, startedAt: number, what = ''): void {
    if (this.tripped) return;
    if (!ok) this.lastFailure = what;
    this.recent.push(ok);
    if (!ok) this.recentFailures++;
    if (this.recent.length > this.cfg.window && this.recent.shift() === false) this.recentFailures--;
    if (ok) {
      this.consecutive = 0;
      this.streakStart = undefined;
      if (this.open) {
        this.open = false;
        this.probing = false;
        this.failedProbes = 0;
        this.clearTimer();
        this.notify();
      }
      return;
    }
    this.consecutive++;
    this.streakStart = this.streakStart === undefined ? startedAt : Math.min(this.streakStart, startedAt);
    const rateBad = this.recent.length >= this.cfg.window && this.recentFailures >= this.cfg.errorRate * this.cfg.window;
    if (!this.open && (this.consecutive >= this.cfg.failures || rateBad)) {
      this.open = true;
      this.failedProbes = 0;
    }
    if (this.open) {
      this.probing = false;
      this.nextProbeAt = this.clock.now() + Math.min(this.cfg.maxProbeMs, this.cfg.probeMs * 2 ** Math.min(20, this.failedProbes++));
      this.armTimer();
      this.notify();
    }
    this.checkTrip();
  }

  /** Releases waiters and timers (end of the run). */
  close(): void {
    this.clearTimer();
    this.tripped = true;
    this.notify();
  }

  private checkTrip(): void {
    // Open, or a streak of failures with no success anywhere for the whole limit: an outage either way.
    if (this.tripped || this.streakStart === undefined || (!this.open && this.consecutive < 2)) return;
    if (this.clock.now() - this.streakStart < this.cfg.maxOutageMs) return;
    this.tripped = true;
    this.clearTimer();
    this.notify();
    this.onTrip();
  }

  /** A real-time timer, so a black hole (attempts that never end) still trips on time. */
  private armTimer(): void {
    if (this.tripTimer !== undefined || this.streakStart === undefined || !Number.isFinite(this.cfg.maxOutageMs)) return;
    const due = Math.max(0, this.streakStart + this.cfg.maxOutageMs - this.clock.now());
    this.tripTimer = setTimeout(() => {
      this.tripTimer = undefined;
      this.checkTrip();
      if (!this.tripped && this.open) this.armTimer();
    }, Math.min(due + 1, 2 ** 31 - 1));
  }

  private clearTimer(): void {
    if (this.tripTimer !== undefined) clearTimeout(this.tripTimer);
    this.tripTimer = undefined;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }
}
