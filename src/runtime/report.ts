// The delivery report: what happened to every input event and every request, counted as the
// run goes; returned by `deliver` and printed by the CLI as one JSON line. Holds no credentials.

/** Final counts of one delivery run. */
export interface DeliveryReport {
  events: {
    /** Input events (and replay entries) read. */
    total: number;
    /** Every item the event produced was accepted. */
    delivered: number;
    /** No subscription matched (or matched subscriptions produced nothing to send). */
    skipped: number;
    /** Processing errors or at least one failed item (each failure is a dead letter). */
    failed: number;
    /** Not finished because the run stopped (stop signal, outage, 401): resumable, not dead-lettered. */
    unsent: number;
  };
  items: {
    /** Items (requests-to-be) produced by processing. */
    total: number;
    accepted: number;
    failed: number;
    /** Accepted items that had been sent in an attempt whose outcome is unknown (timeout, dropped connection): maybe received twice. */
    ambiguous: number;
    /** Neither accepted nor failed: the run stopped before (see `stopReason`). */
    unsent: number;
  };
  /** HTTP attempts made (retries and bisection requests included). */
  requests: number;
  /** Attempts after the first, per request. */
  retries: number;
  /** Extra requests sent to isolate bad items of a rejected batch, or to split an oversized one. */
  bisections: number;
  /** Request body bytes sent (UTF-8), retries included. */
  bytes: number;
  durationMs: number;
  /** Attempts per HTTP status, plus `timeout`, `network`, `aborted`. */
  statuses: Record<string, number>;
  /** Dead letters handed to the sink. */
  deadLetters: number;
  /** True when the credentials were rejected (401); later requests were not sent. */
  authFailed: boolean;
  /**
   * Why the run ended before its input did: `signal` (the `stop` option), `outage` (the API was
   * unreachable or failing for `maxOutageMs`), `auth` (a 401: the credentials were rejected),
   * `dead-letter` (the dead-letter sink or file failed: later failures could not be recorded).
   * Absent when the input was read to its end.
   */
  stopReason?: 'signal' | 'outage' | 'auth' | 'dead-letter';
  /** With a failing dead-letter sink (`dead-letter` stop): positions of the events whose dead letters were not recorded. */
  unrecorded?: number[];
  /** With `stopReason: 'outage'`: the last failure seen (e.g. `timeout: no response within 10000 ms`). */
  outage?: string;
}

/** Mutable counters behind a DeliveryReport. */
export class ReportBuilder {
  readonly report: DeliveryReport = {
    events: { total: 0, delivered: 0, skipped: 0, failed: 0, unsent: 0 },
    items: { total: 0, accepted: 0, failed: 0, ambiguous: 0, unsent: 0 },
    requests: 0,
    retries: 0,
    bisections: 0,
    bytes: 0,
    durationMs: 0,
    statuses: Object.create(null) as Record<string, number>,
    deadLetters: 0,
    authFailed: false,
  };

  attempt(statusLabel: string, bytes: number): void {
    this.report.requests++;
    this.report.bytes += bytes;
    this.report.statuses[statusLabel] = (this.report.statuses[statusLabel] ?? 0) + 1;
  }

  retry(): void {
    this.report.retries++;
  }

  /** A plain JSON-able copy with statuses in ascending key order. */
  finish(durationMs: number): DeliveryReport {
    const statuses: Record<string, number> = {};
    for (const k of Object.keys(this.report.statuses).sort()) statuses[k] = this.report.statuses[k]!;
    return {
      ...this.report,
      events: { ...this.report.events },
      items: { ...this.report.items },
      ...(this.report.unrecorded ? { unrecorded: [...this.report.unrecorded] } : {}),
      statuses,
      durationMs: Math.round(durationMs),
    };
  }
}
