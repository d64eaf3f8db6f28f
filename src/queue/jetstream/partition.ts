// The person partition of an event: which subject (and so which consumer, and which worker) an
// accepted event goes to, so one person's events are always handled by one worker, in order.

import { createHash } from 'node:crypto';

/**
 * The person key of an accepted event: `userId`, else `anonymousId` (own properties, non-empty
 * strings or finite numbers), else its messageId (no person: any partition will do).
 *
 * This is the identity the default mappings put into `identifiers` (userId → id), which is what
 * the single-process batcher orders by (src/runtime/batcher.ts `orderingKeys`). Requests are built
 * by the worker, so the partition must come from the event itself. An alias (userId + previousId)
 * goes with its userId; an identify carrying both ids goes with the userId, so a person's
 * anonymous-only events before it may sit in another partition (see docs/scaling.md).
 */
export function personKey(event: Record<string, unknown>): string {
  for (const field of ['userId', 'anonymousId'] as const) {
    if (!Object.hasOwn(event, field)) continue;
    const v = event[field];
    if (typeof v === 'string' && v !== '') return `${field === 'userId' ? 'u' : 'a'}:${v}`;
    if (typeof v === 'number' && Number.isFinite(v)) return `${field === 'userId' ? 'u' : 'a'}:${String(v)}`;
  }
  const id = Object.hasOwn(event, 'messageId') ? event.messageId : undefined;
  return `m:${typeof id === 'string' ? id : ''}`;
}

/** 32-bit FNV-1a over the key's UTF-8 bytes: stable across processes, versions and languages. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The partition (0 … partitions-1) of an event. */
export function partitionOf(event: Record<string, unknown>, partitions: number): number {
  return fnv1a32(personKey(event)) % partitions;
}

/** Header-safe `Nats-Msg-Id` for a messageId: the id itself when it is short printable ASCII, else a digest of it. */
export function msgIdOf(messageId: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(messageId) ? messageId : `sha256:${createHash('sha256').update(messageId, 'utf8').digest('hex')}`;
}
