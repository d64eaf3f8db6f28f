// The batcher: groups processed items into requests per subscription queue, by count (`batch_size`)
// and by serialized UTF-8 bytes (< 500 KB per request), keeping input order per person (see `ordering`).

import type { TrackRequest } from '../actions/types.js';

/** One request-to-be, with its serialized body and the ordering keys of the entity it touches. */
export interface QueuedItem<U> {
  /** The input unit (event) this item belongs to; opaque to the batcher. */
  unit: U;
  /** Position among its unit's items (in processing order); opaque to the batcher. */
  ordinal: number;
  subscription: string;
  action: string;
  request: TrackRequest;
  batching: { enabled: boolean; size: number } | null;
  /** `JSON.stringify(request.body)`, computed once; `null` when the request has no body. */
  bodyText: string | null;
  bytes: number;
  /** Identities this item touches (see `orderingKeys`); batches sharing a key never run concurrently. */
  keys: string[];
}

/** A group of items that becomes one request: `/api/v2/batch` when `asBatch`, else the item's own request. */
export interface PlannedBatch<U> {
  items: QueuedItem<U>[];
  asBatch: boolean;
}

/** Count and byte limits (customerio.md §2.6, §3.0.4). */
export interface BatchLimits {
  /** Default `batch_size` when a subscription gives none (50). */
  defaultSize: number;
  /** Every request body must be strictly smaller than this (500 KB = 512 000 bytes). */
  maxRequestBytes: number;
}

/**
 * `per-person` (default): an item for a person flushes any other queue that still holds an earlier
 * item for the same identifiers, so a person's requests are formed in input order across actions
 * (smaller batches when actions interleave). `per-queue`: order is kept only within a queue.
 * In both modes the scheduler never lets a batch overtake an earlier one sharing an identity.
 */
export type OrderingMode = 'per-person' | 'per-queue';

/** `{"batch":[` + `]}`: bytes a batch body adds around its comma-joined items. */
export const BATCH_OVERHEAD = '{"batch":[]}'.length;

interface Queue<U> {
  items: QueuedItem<U>[];
  bytes: number;
  size: number;
  openedAt: number;
}

/** Whether an item may share a `/api/v2/batch` request (v2 entity POSTs with batching enabled). */
export function isBatchable(item: { request: TrackRequest; batching: { enabled: boolean } | null }): boolean {
  if (item.batching === null || !item.batching.enabled || item.request.method !== 'POST') return false;
  return pathOf(item.request.url) === '/api/v2/entity';
}

/** Clamps a subscription's batch_size into 2–100 (customerio.md §3.0.4). */
export function clampBatchSize(size: number | undefined, fallback: number): number {
  const n = typeof size === 'number' && Number.isFinite(size) ? Math.floor(size) : fallback;
  return Math.min(100, Math.max(2, n));
}

/** Groups items; calls `emit` with each batch as soon as it is complete, in formation order. */
export class Batcher<U> {
  private readonly queues = new Map<string, Queue<U>>();
  /** ordering key → the queue holding an unflushed item with that key (per-person mode). */
  private readonly holder = new Map<string, Queue<U>>();

  constructor(
    private readonly limits: BatchLimits,
    private readonly ordering: OrderingMode,
    private readonly emit: (batch: PlannedBatch<U>) => void,
  ) {}

  /** Items waiting in queues (not yet emitted). */
  get pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.items.length;
    return n;
  }

  add(item: QueuedItem<U>, now: number): void {
    if (this.ordering === 'per-person') this.flushHoldersOf(item);
    if (!isBatchable(item)) {
      this.emit({ items: [item], asBatch: false });
      return;
    }
    const qk = `${item.subscription}\u0000${item.action}`;
    let q = this.queues.get(qk);
    if (q === undefined) {
      q = { items: [], bytes: 0, size: clampBatchSize(item.batching?.size, this.limits.defaultSize), openedAt: now };
      this.queues.set(qk, q);
    }
    if (q.items.length > 0 && BATCH_OVERHEAD + q.bytes + q.items.length + item.bytes >= this.limits.maxRequestBytes) {
      this.flush(q);
    }
    if (q.items.length === 0) q.openedAt = now;
    q.items.push(item);
    q.bytes += item.bytes;
    if (this.ordering === 'per-person') for (const k of item.keys) this.holder.set(k, q);
    if (q.items.length >= q.size) this.flush(q);
  }

  /** Flushes queues whose oldest item has waited `intervalMs` or more. */
  flushDue(now: number, intervalMs: number): void {
    for (const q of this.queues.values()) if (q.items.length > 0 && now - q.openedAt >= intervalMs) this.flush(q);
  }

  /** The earliest time a non-empty queue becomes due, or undefined when all are empty. */
  nextDue(intervalMs: number): number | undefined {
    let t: number | undefined;
    for (const q of this.queues.values()) if (q.items.length > 0 && (t === undefined || q.openedAt + intervalMs < t)) t = q.openedAt + intervalMs;
    return t;
  }

  /** Flushes every queue (end of input). */
  flushAll(): void {
    for (const q of this.queues.values()) if (q.items.length > 0) this.flush(q);
  }

  /** Flushes every other queue holding an unflushed item with one of `item`'s keys. */
  private flushHoldersOf(item: QueuedItem<U>): void {
    const qk = isBatchable(item) ? this.queues.get(`${item.subscription}\u0000${item.action}`) : undefined;
    for (const k of item.keys) {
      const h = this.holder.get(k);
      if (h !== undefined && h !== qk && h.items.length > 0) this.flush(h);
    }
  }

  private flush(q: Queue<U>): void {
    const items = q.items;
    q.items = [];
    q.bytes = 0;
    if (this.ordering === 'per-person') {
      for (const it of items) for (const k of it.keys) if (this.holder.get(k) === q) this.holder.delete(k);
    }
    this.emit({ items, asBatch: items.length > 1 });
  }
}

/**
 * The identities an entity touches, as strings: `identifiers` (person or object), both sides of a
 * merge, a delivery id, or the path of a body-less request (v1 DELETE). Order is only guaranteed
 * between requests naming the same identifiers the same way (an id and an email of one person
 * are different keys: the client cannot know they are the same person).
 */
export function orderingKeys(request: TrackRequest): string[] {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const path = pathOf(request.url);
    const m = /^\/api\/v1\/customers\/([^/]+)/.exec(path);
    return [m === null ? `path:${path}` : `person:${JSON.stringify(v1PathIdentifiers(m[1]!))}`];
  }
  const b = body as Record<string, unknown>;
  const type = Object.hasOwn(b, 'type') && typeof b.type === 'string' ? b.type : 'person';
  const keys: string[] = [];
  for (const field of ['identifiers', 'primary', 'secondary']) {
    if (Object.hasOwn(b, field) && typeof b[field] === 'object' && b[field] !== null) {
      keys.push(`${field === 'identifiers' ? type : 'person'}:${JSON.stringify(b[field])}`);
    }
  }
  if (keys.length === 0 && Object.hasOwn(b, 'delivery_id')) keys.push(`delivery:${String(b.delivery_id)}`);
  return keys;
}

/** A v1 path identifier typed by shape (customerio.md §1.1): `cio_<id>`, an email, else an id. */
function v1PathIdentifiers(segment: string): Record<string, string> {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    id = segment;
  }
  if (id.startsWith('cio_')) return { cio_id: id.slice(4) };
  return id.includes('@') ? { email: id } : { id };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    const q = url.indexOf('?');
    return q < 0 ? url : url.slice(0, q);
  }
}
