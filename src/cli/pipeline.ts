// The dry run behind `cio-actions run`: NDJSON lines in, one output line per request or error
// out, streaming with constant memory. A bad line is an error line for its index, never the end.

import type { DetailedProcessResult } from '../runtime/types.js';
import { whyTrigger } from '../evaluator/explain.js';
import type { Style } from './output.js';
import type { Line } from './ndjson.js';
import type { LineWriter } from './ndjson.js';
import type { Counters } from './progress.js';
import { closestName } from '../diagnostics/suggest.js';

/** What the dry run needs of a destination. */
export interface Processor {
  processDetailed(event: unknown): DetailedProcessResult;
}

/** The messageId of an event for output lines: an own string (or number) property, else null. */
export function messageIdOf(event: unknown): string | number | null {
  if (typeof event !== 'object' || event === null || !Object.hasOwn(event, 'messageId')) return null;
  const id = (event as { messageId: unknown }).messageId;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** Parses one input line; a failure becomes the message of the event's error line. */
export function parseLine(line: Line): { ok: true; event: unknown } | { ok: false; message: string } {
  if (line.tooLong !== undefined) return { ok: false, message: `line ${line.line} is too long (${line.tooLong} bytes)` };
  try {
    return { ok: true, event: JSON.parse(line.text) as unknown };
  } catch (err) {
    // V8's 0-based "at position N" as the 1-based column editors show
    const message = (err as Error).message.replace(/ in JSON at position (\d+)(?: \(line \d+ column \d+\))?/, (_, n: string) => ` at column ${Number(n) + 1}`);
    return { ok: false, message: `line ${line.line}: invalid JSON: ${message}` };
  }
}

/** True for lines that hold no event (blank or whitespace only): skipped, but counted in the line numbers. */
export function isBlank(line: Line): boolean {
  return line.text !== undefined && line.text.trim() === '';
}

/** The part of a result that belongs to the selected subscriptions (`--only`); event-level errors stay. */
function selected(result: DetailedProcessResult, only: (title: string) => boolean): DetailedProcessResult {
  const keep = (t: string) => only(t) || t === '' || t === '*';
  const out: DetailedProcessResult = {
    matched: result.matched.filter(keep),
    items: result.items.filter((i) => keep(i.subscription)),
    errors: result.errors.filter((e) => keep(e.subscription)),
  };
  if (result.warnings) out.warnings = result.warnings.filter((w) => keep(w.subscription));
  return out;
}

/** Removes and returns the messages of `subscription`'s warnings. */
function takeWarnings(warnings: NonNullable<DetailedProcessResult['warnings']>, subscription: string): string[] {
  const mine: string[] = [];
  for (let i = 0; i < warnings.length; ) {
    const w = warnings[i] as { subscription: string; message: string };
    if (w.subscription === subscription) {
      mine.push(w.message);
      warnings.splice(i, 1);
    } else i++;
  }
  return mine;
}

/**
 * Runs every event through `processor` and writes the output lines. Each line's `event` is the
 * event's 1-based line number in the input, as editors show it (blank lines count).
 * Stops early (without error) when the output is closed.
 */
export async function dryRun(
  batches: AsyncIterable<Line[]>,
  processor: Processor,
  out: LineWriter,
  counters: Counters,
  skips?: Skips,
  only?: (title: string) => boolean,
): Promise<void> {
  for await (const batch of batches) {
    for (const line of batch) {
      if (isBlank(line)) continue;
      counters.events++;
      const index = line.line;
      const parsed = parseLine(line);
      let pending: Promise<void> | undefined;
      if (!parsed.ok) {
        counters.errors++;
        counters.failed++;
        pending = out.writeJson({ event: index, messageId: null, error: { message: parsed.message } });
      } else {
        const messageId = messageIdOf(parsed.event);
        let result: DetailedProcessResult;
        try {
          result = processor.processDetailed(parsed.event);
        } catch (err) {
          // process() should never throw; if it does, the event fails and the run goes on
          result = { matched: [], items: [], errors: [{ subscription: '', message: `internal error: ${(err as Error).message}` }] };
        }
        if (only !== undefined) result = selected(result, only);
        // each warning rides on the request line of its subscription (a dropped value is visible
        // where the body is); one without such a line gets a line of its own
        const warnings = result.warnings === undefined ? undefined : [...result.warnings];
        if (warnings !== undefined) counters.warnings = (counters.warnings ?? 0) + warnings.length;
        for (const item of result.items) {
          counters.requests++;
          const row: Record<string, unknown> = { event: index, messageId, subscription: item.subscription, action: item.action, request: item.request };
          if (warnings !== undefined) {
            const mine = takeWarnings(warnings, item.subscription);
            if (mine.length > 0) row.warnings = mine;
          }
          pending = out.writeJson(row) ?? pending;
        }
        for (const w of warnings ?? []) {
          const row: Record<string, unknown> = { event: index, messageId, subscription: w.subscription };
          if (w.action !== undefined) row.action = w.action;
          row.warnings = [w.message];
          pending = out.writeJson(row) ?? pending;
        }
        if (result.errors.length > 0) counters.failed++;
        else if (result.items.length === 0) {
          counters.skipped = (counters.skipped ?? 0) + 1;
          skips?.add(skipReason(parsed.event), index);
        }
        for (const e of result.errors) {
          counters.errors++;
          const error: { message: string; field?: string; at?: string } = { message: e.message };
          if (e.field !== undefined) error.field = e.field;
          if (e.at !== undefined) error.at = e.at;
          const row: Record<string, unknown> = { event: index, messageId, subscription: e.subscription };
          if (e.action !== undefined) row.action = e.action;
          row.error = error;
          pending = out.writeJson(row) ?? pending;
        }
      }
      if (pending) await pending;
      if (out.closed) return;
    }
    // A batch is what one read returned: flushing here keeps a slow stream (`tail -f | …`) live
    // while a file still goes out in large writes.
    await out.flush();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The summary on stderr: `5 events: 3 requests, 1 failed, 1 skipped, 2 warnings`. */
export function summaryLine(counters: Counters): string {
  let text = `${plural(counters.events, 'event')}: ${plural(counters.requests, 'request')}, ${counters.failed} failed`;
  if (counters.skipped) text += `, ${counters.skipped} skipped`;
  if (counters.warnings) text += `, ${plural(counters.warnings, 'warning')}`;
  return text;
}

/** The event types of the Segment spec. */
export const SEGMENT_TYPES: readonly string[] = ['identify', 'track', 'page', 'screen', 'group', 'alias'];

/** Why no subscription took an event: a missing or unknown `type` (with a did-you-mean), or no trigger matched. */
export function skipReason(event: unknown): string {
  const type = typeof event === 'object' && event !== null && Object.hasOwn(event, 'type') ? (event as { type: unknown }).type : undefined;
  if (type === undefined) return 'no subscription matched: the event has no `type`';
  if (typeof type !== 'string') return 'no subscription matched: `type` is not a string';
  if (!SEGMENT_TYPES.includes(type)) {
    const shown = type.length > 40 ? `${type.slice(0, 37)}...` : type;
    const near = closestName(type, SEGMENT_TYPES);
    return `unknown type \`${shown}\`${near === undefined ? ` (types: ${SEGMENT_TYPES.join(', ')})` : `: did you mean \`${near}\`?`}`;
  }
  return `no subscription matched (type \`${type}\`)`;
}

/** Skipped events by reason, for the summary: counts and the first few line numbers (bounded memory). */
export class Skips {
  private readonly reasons = new Map<string, { count: number; lines: number[] }>();
  private static readonly MAX_REASONS = 20;
  private static readonly MAX_LINES = 3;

  add(reason: string, line: number): void {
    let entry = this.reasons.get(reason);
    if (entry === undefined) {
      if (this.reasons.size >= Skips.MAX_REASONS) reason = 'other reasons';
      entry = this.reasons.get(reason);
      if (entry === undefined) this.reasons.set(reason, (entry = { count: 0, lines: [] }));
    }
    entry.count++;
    if (entry.lines.length < Skips.MAX_LINES) entry.lines.push(line);
  }

  /** One line per reason, most frequent first: `  2 skipped: unknown type `trak`: did you mean `track`? (lines 4, 9)`. */
  lines(): string[] {
    return [...this.reasons.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([reason, { count, lines }]) => `  ${count} skipped: ${reason} (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${count > lines.length ? ', …' : ''})`);
  }
}

/** What `run --explain` needs of a destination: the results, and each subscription's title and trigger. */
export interface ExplainedProcessor extends Processor {
  readonly subscriptions: readonly string[];
  readonly triggers: readonly string[];
}

/** A value for a line of text: JSON, cut at 60 characters. */
function shownValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `track "Order Completed"`, `identify`: what kind of event it is, in a few words. */
function eventHeadline(event: unknown): string {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not an object';
  const e = event as Record<string, unknown>;
  const type = Object.hasOwn(e, 'type') ? e.type : undefined;
  const name = Object.hasOwn(e, 'event') && typeof e.event === 'string' ? ` ${shownValue(e.event)}` : '';
  return type === undefined ? 'no type' : `${typeof type === 'string' ? type : shownValue(type)}${type === 'track' ? name : ''}`;
}

/**
 * `run --explain`: for each event, a readable account on stdout: every subscription, whether its
 * trigger matched (and the sub-expression that decided it), the requests with their warnings, the
 * errors with their `.map` position, and why nothing was sent when nothing was.
 */
export async function explainRun(
  batches: AsyncIterable<Line[]>,
  processor: ExplainedProcessor,
  out: LineWriter,
  counters: Counters,
  skips: Skips,
  s: Style,
  only?: (title: string) => boolean,
): Promise<void> {
  for await (const batch of batches) {
    for (const line of batch) {
      if (isBlank(line)) continue;
      counters.events++;
      const parsed = parseLine(line);
      const lines: string[] = [];
      if (!parsed.ok) {
        counters.errors++;
        counters.failed++;
        lines.push(`${s.bold(`line ${line.line}`)}`, `  ${s.red('error')}: ${parsed.message}`, `  ${s.dim('→')} nothing sent: the line is not an event`);
      } else {
        const event = parsed.event;
        const id = messageIdOf(event);
        lines.push(`${s.bold(`line ${line.line}`)}${id === null ? '' : ` ${s.dim('·')} ${id}`} ${s.dim('·')} ${eventHeadline(event)}`);
        let result: DetailedProcessResult;
        try {
          result = processor.processDetailed(event);
        } catch (err) {
          result = { matched: [], items: [], errors: [{ subscription: '', message: `internal error: ${(err as Error).message}` }] };
        }
        const titles = processor.subscriptions;
        let sent = 0;
        let failed = 0;
        const unmatched: string[] = []; // listed after the matching ones
        titles.forEach((title, i) => {
          if (only !== undefined && !only(title)) return;
          const why = whyTrigger(processor.triggers[i] ?? '', event);
          if (!why.matched) {
            unmatched.push(`  ${s.dim('✗')} ${title}: ${s.dim(why.reason)}`);
            return;
          }
          if (!result.matched.includes(title)) {
            // a preset shadowed by a subscription of its action
            unmatched.push(`  ${s.dim('✗')} ${title}: ${s.dim('matches, but skipped: a subscription of the same action took the event')}`);
            return;
          }
          const items = result.items.filter((it) => it.subscription === title);
          const errors = result.errors.filter((e) => e.subscription === title);
          for (const item of items) {
            sent++;
            lines.push(`  ${s.green('✓')} ${title} ${s.dim(`(${item.action})`)}: ${item.request.method} ${item.request.url}`, `      ${JSON.stringify(item.request.body)}`);
          }
          for (const w of result.warnings ?? []) if (w.subscription === title) lines.push(`      ${s.yellow('warning')}: ${w.message}`);
          for (const e of errors) {
            failed++;
            const where = [e.field === undefined ? '' : ` in ${e.field}`, e.at === undefined ? '' : ` (${e.at})`];
            lines.push(`  ${s.red('!')} ${title}${e.action === undefined ? '' : ` ${s.dim(`(${e.action})`)}`}: ${s.red('error')}${where[0]}: ${e.message}${s.dim(where[1] ?? '')}`);
          }
        });
        lines.push(...unmatched);
        for (const e of result.errors) if (!titles.includes(e.subscription)) {
          failed++;
          lines.push(`  ${s.red('error')}: ${e.message}`);
        }
        counters.requests += sent;
        counters.warnings = (counters.warnings ?? 0) + (result.warnings?.length ?? 0);
        counters.errors += failed;
        if (failed > 0) counters.failed++;
        if (sent > 0) lines.push(`  ${s.dim('→')} ${plural(sent, 'request')}${failed > 0 ? `, ${plural(failed, 'error')}` : ''}`);
        else if (failed > 0) lines.push(`  ${s.dim('→')} nothing sent: ${failed === 1 ? 'the matching subscription failed' : 'every matching subscription failed'}`);
        else {
          const reason = only === undefined ? skipReason(event) : 'not taken by the selected subscriptions (--only)';
          counters.skipped = (counters.skipped ?? 0) + 1;
          skips.add(reason, line.line);
          lines.push(`  ${s.dim('→')} nothing sent: ${reason}`);
        }
      }
      lines.push('');
      const pending = out.writeLine(lines.join('\n'));
      if (pending) await pending;
      if (out.closed) return;
    }
    await out.flush();
  }
}
