// `run --send`: feeds the parsed events to `Destination.deliver` (batching, retries, 207 mapping
// live in the library), prints one error line per dead letter and the report as the last line.

import {
  createDeadLetterFile,
  DeliveryError,
  replayDeadLetters,
  type DeadLetter,
  type DeadLetterFile,
  type DeliverOptions,
  type DeliveryReport,
  type Destination,
} from '../index.js';
import { UsageError } from './args.js';
import type { RunConfig } from './config.js';
import type { Line, LineWriter } from './ndjson.js';
import { isBlank, parseLine } from './pipeline.js';
import type { Counters } from './progress.js';

export interface SendOptions {
  config: RunConfig;
  endpoint: string | undefined;
  deadLetter: string | undefined;
  /** The input is a dead-letter file to re-deliver, not events. */
  replay: boolean;
}

/**
 * Input positions of events as `deliver` counts them: unreadable lines are not handed to it, so
 * its index `d` is the d-th readable line. `bad` holds the (few) unreadable positions, ascending.
 */
export function inputIndex(d: number, bad: readonly number[]): number {
  let i = d;
  for (const b of bad) {
    if (b <= i) i++;
    else break;
  }
  return i;
}

/**
 * Line numbers of the events `deliver` sees, kept as the few points where they shift: event `d`
 * is on line `d + 1 + shift`, and the shift grows at each blank or unreadable line.
 */
export class LineNumbers {
  private readonly at: number[] = [];
  private readonly shift: number[] = [];
  private count = 0;

  /** Records that the next event handed to deliver is on input line `line`. */
  next(line: number): void {
    const s = line - 1 - this.count;
    if (s !== (this.shift.at(-1) ?? 0)) {
      this.at.push(this.count);
      this.shift.push(s);
    }
    this.count++;
  }

  /** The input line of deliver's event `d` (0-based). */
  lineOf(d: number): number {
    let lo = 0;
    let hi = this.at.length; // first shift point after d
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.at[mid] as number) <= d) lo = mid + 1;
      else hi = mid;
    }
    return d + 1 + (lo === 0 ? 0 : (this.shift[lo - 1] as number));
  }
}

/** The error line for one dead letter (same shape as a dry run's error lines). */
export function errorRow(letter: DeadLetter, index: number): Record<string, unknown> {
  const row: Record<string, unknown> = { event: index, messageId: letter.messageId };
  if (letter.subscription !== null) row.subscription = letter.subscription;
  if (letter.action !== null) row.action = letter.action;
  const error: Record<string, unknown> = { message: letter.reason };
  if (letter.field !== undefined) error.field = letter.field;
  if (letter.status !== null) error.status = letter.status;
  row.error = error;
  return row;
}

/** Delivers every event; returns the exit code (1 when some event failed). */
export async function send(batches: AsyncIterable<Line[]>, destination: Destination, out: LineWriter, counters: Counters, options: SendOptions): Promise<number> {
  const lines = new LineNumbers();
  const file: DeadLetterFile | undefined = options.deadLetter === undefined ? undefined : createDeadLetterFile(options.deadLetter, { append: true });
  // opened before anything is read or sent: an unwritable path stops the run at once
  await file?.ready().catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`dead-letter file ${options.deadLetter ?? ''}: cannot open (${e.code ?? e.message})`);
  });
  let unreadable = 0;

  async function* texts(): AsyncGenerator<string> {
    for await (const batch of batches) for (const line of batch) if (line.text !== undefined) yield line.text;
  }

  async function* events(): AsyncGenerator<unknown> {
    for await (const batch of batches) {
      for (const line of batch) {
        if (isBlank(line)) continue;
        const index = counters.events++;
        const parsed = parseLine(line);
        if (parsed.ok) {
          lines.next(line.line);
          yield parsed.event;
          continue;
        }
        // Not handed to deliver: reported here, and kept in the dead-letter file like any failure.
        unreadable++;
        counters.failed++;
        counters.errors++;
        const letter: DeadLetter = {
          index,
          messageId: null,
          subscription: null,
          action: null,
          stage: 'process',
          request: null,
          batching: null,
          event: line.text ?? null,
          status: null,
          reason: parsed.message,
          outcomeUnknown: false,
          attempts: 0,
        };
        await out.writeJson(errorRow(letter, line.line));
        if (file) await file.write(letter);
      }
    }
  }

  const deliverOptions: DeliverOptions = { ...(options.config.delivery as DeliverOptions) };
  delete (deliverOptions as { deadLetter?: unknown }).deadLetter; // the CLI owns the file (it also records unreadable lines)
  if (options.endpoint !== undefined) deliverOptions.endpoint = options.endpoint;
  deliverOptions.onDeadLetter = async (letter) => {
    counters.errors++;
    await out.writeJson(errorRow(letter, options.replay ? letter.index : lines.lineOf(letter.index)));
    await out.flush(); // failures are rare and worth seeing at once
    if (file) await file.write(letter);
  };
  deliverOptions.onOutcome = (outcome) => {
    if (outcome.outcome === 'failed') counters.failed++;
    counters.requests += outcome.accepted;
    if (options.replay) counters.events++;
  };

  let report: DeliveryReport;
  try {
    report = await destination.deliver(options.replay ? replayDeadLetters(texts()) : events(), deliverOptions);
  } catch (e) {
    // a failed run still has a report (DeliveryError); anything else (a broken replay file) is the input's fault
    if (e instanceof DeliveryError) {
      await out.writeJson({ report: e.report, error: e.message });
      return 1;
    }
    if (options.replay && e instanceof Error) throw new UsageError(`--replay: ${e.message}`);
    throw e;
  } finally {
    await file?.close();
  }
  if (unreadable > 0) {
    // the run's totals include the lines deliver never saw
    report = { ...report, events: { ...report.events, total: report.events.total + unreadable, failed: report.events.failed + unreadable }, deadLetters: report.deadLetters + unreadable };
  }
  await out.writeJson({ report });
  return report.events.failed > 0 || report.authFailed ? 1 : 0;
}
