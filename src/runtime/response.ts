// Reads the Track API's answer to one request (customerio.md §1.5, §1.7): accepted, per-item errors
// of a 207 (or a 200 carrying `errors`) keyed by `batch_index`, or a whole-request failure with a reason.

import { classifyStatus } from './retry.js';
import type { SendResult } from './sender.js';
import { isRecord } from '../evaluator/value.js';

/** What to do with the items of one request after its final attempt. */
export type Verdict =
  /** Accepted, except the items in `itemErrors` (index in the sent array → reason), which failed permanently. */
  | { kind: 'accepted'; status: number; itemErrors: Map<number, string> }
  /** A 400 on a multi-item batch: halve it to isolate the bad items. */
  | { kind: 'bisect'; status: number; reason: string }
  /** A 413 on a multi-item batch: halve it and resend. */
  | { kind: 'split'; status: number; reason: string }
  /** Every item failed; `status` null for transport failures. */
  | { kind: 'failed'; status: number | null; reason: string; auth: boolean };

const MAX_REASON = 300;

/**
 * Interprets the final result of sending `count` items (`isBatch`: sent as `{batch:[…]}`).
 * Never trusts the body: a missing or malformed body degrades to a reason string.
 */
export function interpret(result: SendResult, count: number, isBatch: boolean, redact: (s: string) => string): Verdict {
  const final = result.final;
  if (final.kind === 'transport') {
    const tail = result.exhausted ? ` (gave up after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'})` : '';
    return { kind: 'failed', status: null, reason: redact(`${final.error}: ${final.message}${tail}`), auth: false };
  }
  const { status, bodyText } = final;
  const body = parseJson(bodyText);
  const cls = classifyStatus(status);
  if (cls === 'success') {
    const errors = errorList(body);
    if (status !== 207 && errors.length === 0) return { kind: 'accepted', status, itemErrors: new Map() };
    const itemErrors = new Map<number, string>();
    let unmapped = 0;
    for (const e of errors) {
      const idx = isBatch ? batchIndex(e) : 0;
      if (idx !== undefined && idx >= 0 && idx < count) {
        const prev = itemErrors.get(idx);
        const r = redact(describe(e));
        itemErrors.set(idx, prev === undefined ? r : `${prev}; ${r}`.slice(0, MAX_REASON));
      } else unmapped++;
    }
    if (itemErrors.size === 0) {
      // A 207 (or errors) that names no item we sent: we cannot tell which items were kept, so
      // none is reported delivered; the dead letters say the outcome is unknown.
      const what = errors.length === 0 ? 'no readable errors' : `${unmapped} error(s) without a valid batch_index`;
      return { kind: 'failed', status, reason: `HTTP ${status} with ${what}: outcome unknown`, auth: false };
    }
    return { kind: 'accepted', status, itemErrors };
  }
  const reason = redact(`HTTP ${status}${summarize(body, bodyText)}${result.exhausted ? ` (gave up after ${result.attempts} attempts)` : ''}`);
  if (status === 400 && isBatch && count > 1) return { kind: 'bisect', status, reason };
  if (cls === 'split' && count > 1) return { kind: 'split', status, reason };
  return { kind: 'failed', status, reason, auth: status === 401 };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorList(body: unknown): unknown[] {
  if (isRecord(body) && Object.hasOwn(body, 'errors') && Array.isArray(body.errors)) return body.errors;
  return [];
}

function batchIndex(e: unknown): number | undefined {
  if (!isRecord(e) || !Object.hasOwn(e, 'batch_index')) return undefined;
  const v = e.batch_index;
  const n = typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** `reason field: message` from a v2 error object (any part may be missing). */
function describe(e: unknown): string {
  if (typeof e === 'string') return e.slice(0, MAX_REASON);
  if (!isRecord(e)) return 'rejected';
  const part = (k: string): string | undefined => {
    if (!Object.hasOwn(e, k)) return undefined;
    const v = e[k];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const head = [part('reason'), part('field')].filter((x) => x !== undefined).join(' ');
  const msg = part('message');
  const text = head !== '' && msg !== undefined ? `${head}: ${msg}` : (msg ?? (head || 'rejected'));
  return text.slice(0, MAX_REASON);
}

/** `: <first error>` from a v2 (`errors`) or v1 (`meta.errors`, `meta.error`) body, or a text body's head. */
function summarize(body: unknown, text: string): string {
  const errs = errorList(body);
  if (errs.length > 0) return `: ${describe(errs[0])}${errs.length > 1 ? ` (+${errs.length - 1} more)` : ''}`;
  if (isRecord(body) && Object.hasOwn(body, 'meta') && isRecord(body.meta)) {
    const meta = body.meta;
    if (Object.hasOwn(meta, 'errors') && Array.isArray(meta.errors) && meta.errors.length > 0) return `: ${describe(meta.errors[0])}`;
    if (Object.hasOwn(meta, 'error')) return `: ${describe(meta.error)}`;
  }
  const head = text.trim().slice(0, 120);
  return head === '' || body !== undefined ? '' : `: ${head}`;
}
