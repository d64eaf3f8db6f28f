// What the playground shows for one input, computed with the library's public API only: the
// diagnostics of the .map text, the trigger's verdict and sub-expression values, each field's value
// and where it comes from, and the request per profile (or why there is none). No DOM here: the
// page (app.ts) renders it, and test/playground/model.test.ts checks it under Node.

import {
  checkMapping,
  CompileError,
  compileMapping,
  createDestination,
  explainTrigger,
  importSegmentSubscription,
  type Diagnostic,
  type Profile,
  type SegmentSubscription,
  type Subscription,
  type TrackRequest,
  type TriggerStep,
} from '../src/index.js';

/** Settings the playground's destination uses: they only shape the URL (region), never the body. */
export const PLAYGROUND_SETTINGS = { siteId: 'playground-site', apiKey: 'playground-key', region: 'US' } as const;

export interface FieldRow {
  readonly field: string;
  /** The computed value; absent when the field has no value for this event. */
  readonly value?: unknown;
  readonly set: boolean;
  /** `mapping` (the file assigns it, with its line) or `default` (the action's default mapping). */
  readonly origin: 'mapping' | 'default';
  readonly line?: number;
  readonly expr: string;
}

export type RequestView =
  | { readonly kind: 'request'; readonly requests: readonly TrackRequest[] }
  | { readonly kind: 'none'; readonly reason: string; readonly details: readonly string[] };

export interface MapView {
  readonly diagnostics: readonly Diagnostic[];
  readonly eventError?: string;
  readonly subscription?: { readonly title: string; readonly action: string; readonly trigger: string };
  readonly trigger?: { readonly matches: boolean; readonly steps: readonly TriggerStep[] };
  readonly fields: readonly FieldRow[];
  readonly request: RequestView;
}

/** Parses the event pane: a JSON object, or a clear error with where it is. */
export function parseEvent(text: string): { ok: true; event: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'the event is empty: pick an example or paste a JSON object' };
  try {
    const event = JSON.parse(text) as unknown;
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return { ok: false, message: 'the event must be a JSON object (`{ … }`)' };
    return { ok: true, event };
  } catch (e) {
    const lines = text.trim().split('\n');
    if (lines.length > 1 && lines.every((l) => isJson(l))) return { ok: false, message: `the event pane holds one event, and this is ${lines.length} lines of NDJSON: keep one line` };
    return { ok: false, message: `the event is not valid JSON: ${(e as Error).message}` };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const where = (d: Diagnostic) => `${d.span.line}:${d.span.column}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function readField(fields: Record<string, unknown>, key: string): { set: boolean; value?: unknown } {
  let cur: unknown = fields;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return { set: false };
    cur = (cur as Record<string, unknown>)[part];
  }
  return { set: true, value: cur };
}

/** One row per field the effective mapping assigns (the file's statements after the defaults they override). */
function fieldRows(sub: Subscription, fields: Record<string, unknown> | undefined): FieldRow[] {
  const rows = new Map<string, FieldRow>();
  for (const info of sub.fields) {
    if (info.let) continue;
    const got = fields ? readField(fields, info.field) : { set: false };
    const row: FieldRow = { field: info.field, set: got.set, origin: info.origin, expr: info.expr, ...(got.set ? { value: got.value } : {}), ...(info.line !== undefined ? { line: info.line } : {}) };
    // a top-level default the file replaces (or assigns into) is not what runs
    if (info.origin === 'mapping') {
      const top = info.field.split('.')[0] as string;
      if (rows.get(top)?.origin === 'default') rows.delete(top);
    }
    rows.set(info.field, row);
  }
  return [...rows.values()];
}

function requestFor(sub: Subscription, event: unknown, profile: Profile): RequestView {
  const destination = createDestination({ settings: PLAYGROUND_SETTINGS, presets: 'none', subscriptions: [sub], profile });
  const result = destination.process(event);
  if (result.requests.length > 0) return { kind: 'request', requests: result.requests };
  if (result.errors.length > 0) {
    return { kind: 'none', reason: `no request: ${plural(result.errors.length, 'field error')} for this event`, details: result.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)) };
  }
  if (result.matched.length === 0) return { kind: 'none', reason: 'no request: the trigger is false for this event', details: [`when ${sub.trigger.source.replace(/\s+/g, ' ')}`] };
  return { kind: 'none', reason: 'no request: the action builds nothing for this event', details: [] };
}

/** Everything the `.map` tab shows for an event text, a `.map` text and a profile. */
export function viewMapping(eventText: string, mapText: string, profile: Profile): MapView {
  const diagnostics = checkMapping(mapText, { filename: 'playground.map' });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const parsed = parseEvent(eventText);
  if (errors.length > 0) {
    const first = errors[0] as Diagnostic;
    const reason = `no request: the mapping has ${plural(errors.length, 'error')}; the first at line ${where(first)}: ${first.message}`;
    return { diagnostics, fields: [], request: { kind: 'none', reason, details: errors.map((d) => `${where(d)} ${d.code} ${d.message}`) }, ...(parsed.ok ? {} : { eventError: parsed.message }) };
  }
  let sub: Subscription;
  try {
    sub = compileMapping(mapText, { filename: 'playground.map' });
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { diagnostics: e.diagnostics, fields: [], request: { kind: 'none', reason: 'no request: the mapping does not compile', details: e.diagnostics.map((d) => `${where(d)} ${d.message}`) } };
  }
  const subscription = { title: sub.title, action: sub.action, trigger: sub.trigger.source };
  if (!parsed.ok) return { diagnostics, subscription, fields: fieldRows(sub, undefined), eventError: parsed.message, request: { kind: 'none', reason: `no request: ${parsed.message}`, details: [] } };
  const mapped = sub.map(parsed.event);
  return {
    diagnostics,
    subscription,
    trigger: explainTrigger(sub.trigger.source, parsed.event),
    fields: fieldRows(sub, mapped.ok ? mapped.fields : undefined),
    request: requestFor(sub, parsed.event, profile),
  };
}

export interface SegmentView {
  readonly error?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly mapSource?: string;
  /** The request of the imported subscription (Segment semantics) and of its printed `.map` text compiled again. */
  readonly imported?: RequestView;
  readonly printed?: RequestView;
}

/** The Segment tab: subscription JSON → `.map` text, and the request both give for the event. */
export function viewSegment(eventText: string, jsonText: string, profile: Profile): SegmentView {
  let json: unknown;
  try {
    json = JSON.parse(jsonText) as unknown;
  } catch (e) {
    return { error: `the subscription is not valid JSON: ${(e as Error).message}`, diagnostics: [] };
  }
  if (Array.isArray(json)) return { error: `this is a list of ${json.length} subscriptions: paste one of them (the examples menu has each of examples/segment/lifecycle.json)`, diagnostics: [] };
  if (json === null || typeof json !== 'object') return { error: 'a Segment subscription is a JSON object with partnerAction and mapping', diagnostics: [] };
  let sub: Subscription;
  try {
    sub = importSegmentSubscription(json as SegmentSubscription);
  } catch (e) {
    if (!(e instanceof CompileError)) return { error: (e as Error).message, diagnostics: [] };
    return { error: `the subscription cannot be imported: ${e.message}`, diagnostics: e.diagnostics };
  }
  const mapSource = sub.toMapSource();
  const parsed = parseEvent(eventText);
  if (!parsed.ok) return { diagnostics: [], mapSource, error: parsed.message };
  const view = viewMapping(eventText, mapSource, profile);
  return { diagnostics: view.diagnostics, mapSource, imported: requestFor(sub, parsed.event, profile), printed: view.request };
}
