// The dry run behind `cio-actions run`: NDJSON lines in, one output line per request or error
// out, streaming with constant memory. A bad line is an error line for its index, never the end.

import type { DetailedProcessResult } from '../index.js';
import type { Line } from './ndjson.js';
import type { LineWriter } from './ndjson.js';
import type { Counters } from './progress.js';
import { didYouMean } from './suggest.js';

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
export async function dryRun(batches: AsyncIterable<Line[]>, processor: Processor, out: LineWriter, counters: Counters, skips?: Skips): Promise<void> {
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
    const near = didYouMean(type, SEGMENT_TYPES);
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
