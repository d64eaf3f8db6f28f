// Test helpers for delivery: a fake `processDetailed` over tiny synthetic events, a fast virtual
// clock (sleeps are recorded, not waited), and collectors for dead letters and outcomes.

import type { Clock } from '../../src/runtime/clock.js';
import type { DeadLetter } from '../../src/runtime/dead-letter.js';
import type { EventOutcome } from '../../src/runtime/options.js';
import type { DetailedProcessResult, ProcessedItem } from '../../src/runtime/types.js';

export const SITE = 'site-123';
export const KEY = 'key-secret-456';
export const US = 'https://track.customer.io';

/** A synthetic input event understood by `fakeSource`. */
export interface TestEvent {
  messageId: string;
  userId: string;
  kind: 'track' | 'identify' | 'metric' | 'delete' | 'none' | 'error' | 'mixed' | 'throw';
  attrs?: Record<string, unknown>;
  batchSize?: number;
  batching?: boolean;
}

/** Maps TestEvents to items the way the destination would (region host URLs, batching info). */
export function fakeSource(base = US): { processDetailed(e: unknown): DetailedProcessResult; calls: number } {
  const src = {
    calls: 0,
    processDetailed(raw: unknown): DetailedProcessResult {
      src.calls++;
      const e = raw as TestEvent;
      const batching = { enabled: e.batching ?? true, size: e.batchSize ?? 50 };
      const person = (action: string, extra: Record<string, unknown>): ProcessedItem['request'] => ({
        method: 'POST',
        url: `${base}/api/v2/entity`,
        body: { type: 'person', action, identifiers: { id: e.userId }, ...extra, attributes: { seq: e.messageId, ...(e.attrs ?? {}) } },
      });
      const track: ProcessedItem = { subscription: 'Track Event', action: 'trackEvent', request: person('event', { name: 'Clicked', id: e.messageId }), batching };
      const identify: ProcessedItem = { subscription: 'Create or Update Person', action: 'createUpdatePerson', request: person('identify', {}), batching };
      switch (e.kind) {
        case 'track':
          return { matched: ['Track Event'], items: [track], errors: [] };
        case 'identify':
          return { matched: ['Create or Update Person'], items: [identify], errors: [] };
        case 'metric':
          return {
            matched: ['Report Delivery Event'],
            items: [{ subscription: 'Report Delivery Event', action: 'reportDeliveryEvent', batching: null, request: { method: 'POST', url: `${base}/api/v1/metrics`, body: { delivery_id: e.messageId, metric: 'opened' } } }],
            errors: [],
          };
        case 'delete':
          return {
            matched: ['Delete'],
            items: [{ subscription: 'Delete', action: 'deletePerson', batching: null, request: { method: 'DELETE', url: `${base}/api/v1/customers/${encodeURIComponent(e.userId)}`, body: null } }],
            errors: [],
          };
        case 'none':
          return { matched: [], items: [], errors: [] };
        case 'error':
          return { matched: ['Track Event'], items: [], errors: [{ subscription: 'Track Event', action: 'trackEvent', message: 'name is required', field: 'name' }] };
        case 'mixed':
          return {
            matched: ['Create or Update Person', 'Track Event'],
            items: [identify],
            errors: [{ subscription: 'Track Event', action: 'trackEvent', message: 'name is required', field: 'name' }],
          };
        case 'throw':
          throw new Error('boom');
      }
    },
  };
  return src;
}

export function ev(i: number, kind: TestEvent['kind'] = 'track', extra: Partial<TestEvent> = {}): TestEvent {
  return { messageId: `m${i}`, userId: `u${i % 97}`, kind, ...extra };
}

/** A clock whose sleeps return at once (after a macrotask) but advance `now`; records every sleep. */
export function fastClock(): Clock & { sleeps: number[] } {
  let skew = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + skew,
    sleep: async (ms) => {
      sleeps.push(ms);
      skew += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

/** Collects dead letters and outcomes. */
export function collector(): { letters: DeadLetter[]; outcomes: EventOutcome[]; onDeadLetter: (d: DeadLetter) => void; onOutcome: (o: EventOutcome) => void } {
  const letters: DeadLetter[] = [];
  const outcomes: EventOutcome[] = [];
  return { letters, outcomes, onDeadLetter: (d) => void letters.push(d), onOutcome: (o) => void outcomes.push(o) };
}

/** `attributes.seq` of a recorded entity (the TestEvent messageId), or the delivery id of a metric. */
export function seqOf(entity: unknown): string | undefined {
  const e = entity as { attributes?: { seq?: string }; delivery_id?: string } | null;
  return e?.attributes?.seq ?? e?.delivery_id;
}
