// Report Delivery Event → `POST /api/v1/metrics` (customerio.md §3.15): delivery id, metric,
// timestamp (the clock when the event has none), and only the optional fields that are set.

import { validateMetrics } from '../schemas.js';
import { segmentRootTimestamp, toUnixSeconds } from '../../timestamps.js';
import type { BuildContext, BuildResult } from '../types.js';

/** Customer.io's /api/v1/metrics has no batch form (§3.15). */
export const batchable = false;

function nowSeconds(ctx: BuildContext): number {
  return Math.floor(ctx.now() / 1000);
}

/** Segment: root rule, then `Number()`; NaN (or no timestamp) → now. */
function segmentTimestamp(value: unknown, ctx: BuildContext): number {
  const converted = value ? segmentRootTimestamp(value) : undefined;
  // Field typing leaves a string or a number here; anything else counts as unreadable (Number() on
  // an arbitrary object could run its valueOf, or throw on a null-prototype one).
  const n = typeof converted === 'number' || typeof converted === 'string' || typeof converted === 'boolean' ? Number(converted) : NaN;
  return Number.isNaN(n) ? nowSeconds(ctx) : n;
}

/** Strict: integer seconds (ms and epoch strings normalised); unusable → now, with a warning. */
function strictTimestamp(value: unknown, ctx: BuildContext, warnings: string[]): number {
  if (value === undefined || value === null || value === '') return nowSeconds(ctx);
  const result = toUnixSeconds(value);
  if (result.ok) return result.seconds;
  warnings.push(`timestamp replaced by the current time: ${result.reason}`);
  return nowSeconds(ctx);
}

/** Builds the metrics request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const warnings: string[] = [];
  const timestamp = ctx.profile === 'segment' ? segmentTimestamp(fields.timestamp, ctx) : strictTimestamp(fields.timestamp, ctx, warnings);
  const body: Record<string, unknown> = { delivery_id: fields.delivery_id, metric: fields.metric, timestamp };
  for (const key of ['recipient', 'reason', 'href'] as const) if (fields[key]) body[key] = fields[key];
  if (fields.action_name || fields.action_value) {
    const metadata: Record<string, unknown> = {};
    if (fields.action_name) metadata.action_name = fields.action_name;
    if (fields.action_value) metadata.action_value = fields.action_value;
    body.metadata = metadata;
  }
  const errors = validateMetrics(body);
  if (errors.length > 0) return { ok: false, errors };
  const request = { method: 'POST' as const, url: `${ctx.baseUrl}/api/v1/metrics`, body };
  return warnings.length > 0 ? { ok: true, request, warnings } : { ok: true, request };
}
