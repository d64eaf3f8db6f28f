// Segment's HTTP Tracking API as its clients use it: the routes (long and analytics.js's short
// paths), write-key authentication, the per-event checks and the stamps (`type` from the path,
// `messageId` when missing, `receivedAt`). Pure functions: the HTTP plumbing is in server.ts.
//
// One bad event in a batch (decision, after Segment's HTTP API docs, "Errors"): Segment answers 200
// for every request except a malformed body or an oversized payload, and drops bad events inside a
// batch individually (visible in its debugger). We do the same, and say so in the answer: a
// /v1/batch whose body is a JSON object with a `batch` list gets 200 with the good events queued;
// each bad one is left out, counted in `cio_rejected_events_total{reason}`, logged, and listed in
// the answer as `"rejected": [{"index": i, "code": …, "error": …}]` (clients that only check
// `success` keep working; a retry of the whole batch could never fix a bad event). Beyond Segment's
// 2 500 events per batch, the extra events are rejected the same way. A single-event path answers
// 400 with the reason. Oversized payloads answer 413 (the issue's choice; Segment says 400).

import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { attachSerialized } from '../queue/serialized.js';

export type EventType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';

export const EVENT_TYPES: readonly EventType[] = ['identify', 'track', 'page', 'screen', 'group', 'alias'];

/** Path → event type (null for a batch). */
export const ROUTES: ReadonlyArray<readonly [string, EventType | null]> = [
  ['/v1/identify', 'identify'],
  ['/v1/track', 'track'],
  ['/v1/page', 'page'],
  ['/v1/screen', 'screen'],
  ['/v1/group', 'group'],
  ['/v1/alias', 'alias'],
  ['/v1/batch', null],
  ['/v1/import', null], // Segment's older name of batch
  ['/v1/i', 'identify'],
  ['/v1/t', 'track'],
  ['/v1/p', 'page'],
  ['/v1/s', 'screen'],
  ['/v1/g', 'group'],
  ['/v1/a', 'alias'],
  ['/v1/b', null],
];

/** Segment's documented limits. */
export const LIMITS = Object.freeze({
  eventBytes: 32 * 1024,
  requestBytes: 500 * 1024,
  batchEvents: 2_500,
});

/** Why an event or a request is refused; `code` is the metric label and the JSON answer's `code`. */
export interface Rejection {
  code: 'malformed_json' | 'not_an_object' | 'no_user_anon_id' | 'unknown_type' | 'missing_event_name' | 'event_too_large' | 'batch_not_a_list' | 'too_many_events';
  error: string;
}

export type Checked = { ok: true; event: Record<string, unknown>; bytes: number } | { ok: false; rejection: Rejection };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function present(v: unknown): boolean {
  return (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * Checks one event and returns it as queued: `writeKey` removed, `type` from the path (single-event
 * routes) or the event (batch), `messageId` generated when missing, `receivedAt` stamped. `raw`
 * must be the caller's own parsed object: it is stamped in place (no copy per event).
 */
export function checkEvent(raw: unknown, pathType: EventType | null, receivedAt: string, maxBytes = LIMITS.eventBytes): Checked {
  if (!isObject(raw)) return { ok: false, rejection: { code: 'not_an_object', error: `the event must be a JSON object, not ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}` } };
  const type = pathType ?? raw.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    const shown = type === undefined ? 'missing' : JSON.stringify(type)?.slice(0, 40);
    return { ok: false, rejection: { code: 'unknown_type', error: `unknown type ${shown}; one of ${EVENT_TYPES.join(', ')}` } };
  }
  if (!present(raw.userId) && !present(raw.anonymousId)) return { ok: false, rejection: { code: 'no_user_anon_id', error: 'missing userId and anonymousId: the event needs at least one of them' } };
  if (type === 'track' && (typeof raw.event !== 'string' || raw.event === '')) return { ok: false, rejection: { code: 'missing_event_name', error: 'a track event needs `event`, its name, as a non-empty string' } };
  // Stamped in place: `raw` is the server's own freshly parsed object (JSON.parse makes a key named
  // __proto__ a plain own property, so nothing reaches a prototype).
  const event = raw;
  if (Object.hasOwn(event, 'writeKey')) delete event.writeKey; // a credential: never queued, logged or dead-lettered
  event.type = type;
  const id = raw.messageId;
  event.messageId = typeof id === 'string' && id !== '' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : `cio-${randomUUID()}`;
  event.receivedAt = receivedAt;
  const json = JSON.stringify(event);
  // string length is a lower bound of the UTF-8 size; count bytes only when it could matter
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes) return { ok: false, rejection: { code: 'event_too_large', error: `the event is ${bytes} bytes; at most ${maxBytes} bytes per event` } };
  attachSerialized(event, json, bytes); // the queue need not serialize it again
  return { ok: true, event, bytes };
}

/** Parses a request body as JSON; a Rejection when it is not JSON. */
export function parseBody(text: string): { ok: true; value: unknown } | { ok: false; rejection: Rejection } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, rejection: { code: 'malformed_json', error: `malformed JSON: ${(err as Error).message.slice(0, 200)}` } };
  }
}

/** The write keys a server accepts; compares in constant time, never exposes them. */
export class WriteKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.filter((k) => k !== '').map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  accepts(key: string | undefined): boolean {
    if (key === undefined || key === '') return false;
    const d = digest(key);
    let ok = false;
    for (const k of this.digests) ok = timingSafeEqual(k, d) || ok;
    return ok;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The write key of a request: the Basic-auth user name, else `writeKey` in the body. */
export function writeKeyOf(authorization: string | undefined, body: unknown): string | undefined {
  if (authorization !== undefined) {
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
    if (m) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      if (user !== '') return user;
    }
  }
  if (isObject(body) && typeof body.writeKey === 'string') return body.writeKey;
  return undefined;
}
