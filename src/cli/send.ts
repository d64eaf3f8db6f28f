// `run --send`: feeds the parsed events to `Destination.deliver` (batching, retries, 207 mapping
// live in the library), prints one error line per dead letter and the report as the last line.
// With an events file its progress is durable (send-state.ts): a stop (signal, outage, 401, a
// dead-letter file that cannot be written) or a crash leaves the rest for `--resume`.

import {
  createDeadLetterFile,
  DeliveryError,
  replayDeadLetters,
  resumeEntry,
  type DeadLetter,
  type DeadLetterFile,
  type DeliverOptions,
  type DeliveryReport,
  type Destination,
  type ReplaySkip,
} from '../index.js';
import { UsageError } from './args.js';
import type { RunConfig } from './config.js';
import type { Line, LineWriter } from './ndjson.js';
import { isBlank, parseLine } from './pipeline.js';
import type { Counters } from './progress.js';
import { configHash, inputIdentity, SendState, type ResumeCounts } from './send-state.js';

/** Exit codes of `run --send` besides 0 (done), 1 (some events failed) and 2 (usage). */
export const SEND_EXIT = Object.freeze({
  /** Stopped by SIGINT/SIGTERM after draining; the rest is recorded (`--resume`). */
  stopped: 3,
  /** The Track API was unreachable or failing for --max-outage; the rest is recorded. */
  outage: 4,
  /** The Track API rejected the credentials (401); the rest is recorded. */
  auth: 5,
});

export interface SendOptions {
  config: RunConfig;
  endpoint: string | undefined;
  deadLetter: string | undefined;
  /** The input is a dead-letter file to re-deliver, not events. */
  replay: boolean;
  /** The events file (undefined: stdin): needed for durable progress. */
  file?: string;
  /** State directory (`--state`), undefined: no durable progress (stdin, --replay). */
  state?: string;
  resume?: boolean;
  drainMs?: number;
  maxOutageMs?: number;
  /** The first SIGINT/SIGTERM: stop reading, drain, record the rest. */
  stop?: AbortSignal;
  /** One line for the user on stderr (why a run ended early). */
  notice?: (line: string) => void;
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

/** How often finished lines are made durable (dead-letter fsync, then the progress log). */
const FLUSH_MS = 200;
const FLUSH_LINES = 2_000;

/** Delivers every event; returns the exit code (0, 1, or SEND_EXIT when the run ended early). */
export async function send(batches: AsyncIterable<Line[]>, destination: Destination, out: LineWriter, counters: Counters, options: SendOptions): Promise<number> {
  const notice = options.notice ?? (() => undefined);
  const file: DeadLetterFile | undefined = options.deadLetter === undefined ? undefined : createDeadLetterFile(options.deadLetter, { append: true });
  // opened before anything is read or sent: an unwritable path stops the run at once
  await file?.ready().catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`dead-letter file ${options.deadLetter ?? ''}: cannot open (${e.code ?? e.message})`);
  });
  let state: SendState | undefined;
  if (options.state !== undefined && options.file !== undefined && !options.replay) {
    try {
      state = await SendState.open(options.state, {
        resume: options.resume === true,
        identity: await inputIdentity(options.file),
        config: await configHash(options.config),
        file: options.file,
      });
    } catch (e) {
      await file?.close().catch(() => undefined);
      throw e;
    }
  }

  // The run's own stop: the caller's signal, or a dead-letter file / state that cannot be written.
  const stop = new AbortController();
  const onStop = (): void => stop.abort();
  options.stop?.addEventListener('abort', onStop, { once: true });
  if (options.stop?.aborted) stop.abort();
  let sinkFailure: NodeJS.ErrnoException | undefined;
  let stateFailure: unknown;

  // event index → input line, while the event is with deliver
  const lineOf = new Map<number, number>();
  // dead letters handed to the file and not yet known written: [event index, line]
  let letterQueue: Array<[number, number]> = [];
  let letterBase = 0; // file.written at letterQueue[0]
  const unrecorded = new Map<number, number>(); // event index → line: a dead letter of it did not reach the file
  const unsentAmbiguous: number[] = [];
  const partial = new Map<number, ReplaySkip>();
  let unreadable = 0;
  let eventIndex = 0;
  let inputEnded = false;
  const resume: ResumeCounts | undefined = state?.resuming ? state.counts : undefined;

  /** Marks dead letters beyond what reached the file as lost (after a write error). */
  function loseUnwritten(): void {
    if (file === undefined) return;
    const keep = Math.max(0, file.written - letterBase);
    for (const [index, line] of letterQueue.slice(keep)) unrecorded.set(index, line);
    letterQueue = [];
    letterBase = file.count;
  }

  async function recordLetter(letter: DeadLetter, line: number | undefined): Promise<void> {
    if (file === undefined || sinkFailure !== undefined) {
      if (sinkFailure !== undefined) unrecorded.set(letter.index, line ?? -1);
      return;
    }
    letterQueue.push([letter.index, line ?? -1]);
    try {
      await file.write(letter);
    } catch (e) {
      sinkFailure = e as NodeJS.ErrnoException;
      loseUnwritten();
      stop.abort();
    }
  }

  /** Before marking lines done: their dead letters on disk. Returns the lines whose letters are lost. */
  async function syncLetters(): Promise<ReadonlySet<number> | undefined> {
    if (file !== undefined && sinkFailure === undefined) {
      try {
        await file.sync();
        letterBase = file.written;
        letterQueue = [];
      } catch (e) {
        sinkFailure = e as NodeJS.ErrnoException;
        loseUnwritten();
        stop.abort();
      }
    }
    return unrecorded.size === 0 ? undefined : new Set(unrecorded.values());
  }

  let flushTimer: ReturnType<typeof setInterval> | undefined;
  function flushState(): Promise<void> {
    if (state === undefined || stateFailure !== undefined) return Promise.resolve();
    return state.flush(syncLetters).catch((e: unknown) => {
      stateFailure ??= e;
      stop.abort();
    });
  }
  if (state !== undefined) {
    flushTimer = setInterval(() => void flushState(), FLUSH_MS);
    flushTimer.unref();
  }

  async function* lines(): AsyncGenerator<string> {
    for await (const batch of batches) for (const line of batch) yield line.text ?? '\u0000'; // a too-long line stays a (bad) line
  }

  // --replay: a damaged line (a truncated tail after a crash) is reported and skipped; a file whose
  // first entry is unreadable is not a dead-letter file (usage error, nothing sent).
  const badLines: number[] = [];
  let goodSeen = false;
  async function* replayInput(): AsyncGenerator<unknown> {
    const entries = replayDeadLetters(lines(), {
      onBadLine: (bad) => {
        if (!goodSeen) throw new Error(`${bad.message}: is it a dead-letter file?`);
        badLines.push(bad.line);
        counters.errors++;
        counters.failed++;
        void out.writeJson({ line: bad.line, error: { message: bad.message } });
      },
    });
    for await (const entry of entries) {
      goodSeen = true;
      yield entry;
    }
  }

  async function* events(): AsyncGenerator<unknown> {
    for await (const batch of batches) {
      for (const line of batch) {
        if (isBlank(line)) {
          state?.finished(line.line);
          continue;
        }
        const index = eventIndex++;
        if (state?.isDone(line.line)) {
          if (resume) resume.done++;
          continue;
        }
        counters.events++;
        const parsed = parseLine(line);
        if (!parsed.ok) {
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
          await recordLetter(letter, line.line);
          if (!unrecorded.has(index)) state?.finished(line.line);
          continue;
        }
        const reserve = state?.beforeRead(line.line);
        if (reserve) await reserve;
        if (stop.signal.aborted) return; // what is not handed over stays unfinished
        lineOf.set(index, line.line);
        const prior = resume ? state!.prior(line.line) : undefined;
        if (prior) {
          resume!.resent++;
          if (prior.ambiguous) resume!.ambiguous++;
        }
        if (state && state.pendingCount >= FLUSH_LINES) void flushState();
        yield resumeEntry(index, parsed.event, prior?.skip, prior?.ambiguous === true);
      }
    }
    inputEnded = true;
  }

  const deliverOptions: DeliverOptions = { ...(options.config.delivery as DeliverOptions) };
  delete (deliverOptions as { deadLetter?: unknown }).deadLetter; // the CLI owns the file (it also records unreadable lines)
  if (options.endpoint !== undefined) deliverOptions.endpoint = options.endpoint;
  if (options.drainMs !== undefined) deliverOptions.drainMs = options.drainMs;
  if (options.maxOutageMs !== undefined) deliverOptions.maxOutageMs = options.maxOutageMs;
  deliverOptions.stop = stop.signal;
  deliverOptions.onDeadLetter = async (letter) => {
    counters.errors++;
    await out.writeJson(errorRow(letter, options.replay ? letter.index : (lineOf.get(letter.index) ?? letter.index + 1)));
    await out.flush(); // failures are rare and worth seeing at once
    await recordLetter(letter, lineOf.get(letter.index));
  };
  // every warning `process` returns reaches the user, as in a dry run: one line per subscription, counted
  deliverOptions.onWarnings = async ({ index, messageId, warnings }) => {
    counters.warnings = (counters.warnings ?? 0) + warnings.length;
    const bySubscription = new Map<string, { action?: string; messages: string[] }>();
    for (const w of warnings) {
      const group = bySubscription.get(w.subscription) ?? { ...(w.action !== undefined ? { action: w.action } : {}), messages: [] };
      group.messages.push(w.message);
      bySubscription.set(w.subscription, group);
    }
    for (const [subscription, group] of bySubscription) {
      const row: Record<string, unknown> = { event: options.replay ? index : (lineOf.get(index) ?? index + 1), messageId, subscription };
      if (group.action !== undefined) row.action = group.action;
      row.warnings = group.messages;
      await out.writeJson(row);
    }
  };
  deliverOptions.onOutcome = (outcome) => {
    if (outcome.outcome === 'failed') counters.failed++;
    counters.requests += outcome.accepted;
    if (options.replay) counters.events++;
    const line = lineOf.get(outcome.index);
    lineOf.delete(outcome.index);
    if (line === undefined) return;
    if (outcome.outcome === 'unsent') {
      if (outcome.ambiguous) unsentAmbiguous.push(line);
      const s = outcome.settled;
      if (s !== undefined && (s.items.length > 0 || s.processErrors)) partial.set(line, s);
    } else if (!unrecorded.has(outcome.index)) state?.finished(line);
  };

  let report: DeliveryReport;
  let deliveryError: string | undefined;
  try {
    report = await destination.deliver(options.replay ? replayInput() : events(), deliverOptions);
  } catch (e) {
    // a failed run still has a report (DeliveryError); anything else (a broken replay file) is the input's fault
    if (e instanceof DeliveryError) {
      report = e.report;
      deliveryError = e.message;
    } else {
      await cleanup();
      if (options.replay && e instanceof Error) throw new UsageError(`--replay: ${e.message}`);
      throw e;
    }
  }

  async function cleanup(): Promise<void> {
    if (flushTimer !== undefined) clearInterval(flushTimer);
    options.stop?.removeEventListener('abort', onStop);
    await file?.close().catch((e: NodeJS.ErrnoException) => {
      if (sinkFailure === undefined) {
        sinkFailure = e;
        loseUnwritten();
      }
    });
    await state?.close().catch(() => undefined);
  }

  // Events read but never handed back (the value in hand at a stop) stay unfinished, like unsent ones.
  const finishedAll = inputEnded && report.events.unsent === 0 && unrecorded.size === 0 && lineOf.size === 0;
  if (flushTimer !== undefined) clearInterval(flushTimer);
  await file?.sync().catch(() => undefined);
  await flushState();
  if (state !== undefined && stateFailure === undefined) {
    try {
      if (finishedAll && sinkFailure === undefined) {
        await state.complete();
        state = undefined;
      } else await state.recordStop(unsentAmbiguous, partial);
    } catch (e) {
      stateFailure ??= e;
    }
  }
  await cleanup();

  if (unreadable > 0) {
    // the run's totals include the lines deliver never saw
    report = { ...report, events: { ...report.events, total: report.events.total + unreadable, failed: report.events.failed + unreadable }, deadLetters: report.deadLetters + unreadable };
  }
  const extra: Record<string, unknown> = {};
  if (resume !== undefined) extra.resume = { ...resume };
  if (badLines.length > 0) extra.badLines = badLines;
  if (unrecorded.size > 0) extra.unrecorded = [...new Set(unrecorded.values())].filter((l) => l > 0).sort((a, b) => a - b);
  if (sinkFailure !== undefined) extra.stopReason = 'dead-letter';
  const line: Record<string, unknown> = { report: { ...report, ...extra } };
  if (deliveryError !== undefined) line.error = deliveryError;
  await out.writeJson(line);

  // One line saying why the run ended early, and what is left.
  const left = report.events.unsent + lineOf.size;
  const where = options.state !== undefined && !options.replay && options.file !== undefined ? `recorded in ${options.state}: run again with --resume` : 'not recorded (no --state: stdin or --replay)';
  const rest = `${left} event${left === 1 ? '' : 's'} read and not sent${inputEnded ? '' : ', the rest of the input not read'}, ${where}`;
  if (sinkFailure !== undefined) {
    const lost = [...new Set(unrecorded.values())].filter((l) => l > 0).sort((a, b) => a - b);
    const shown = lost.slice(0, 20).join(', ') + (lost.length > 20 ? `, … (${lost.length} in all, listed in the report's "unrecorded")` : '');
    notice(
      `stopped: cannot write the dead-letter file ${options.deadLetter ?? ''} (${sinkFailure.code ?? sinkFailure.message}); ${unrecorded.size} event${unrecorded.size === 1 ? ' has' : 's have'} no record${lost.length > 0 ? ` (lines ${shown})` : ''} and stay unfinished; ${rest}`,
    );
    return 1;
  }
  if (stateFailure !== undefined) {
    notice(`stopped: cannot write the state in ${options.state ?? ''} (${(stateFailure as NodeJS.ErrnoException).code ?? String(stateFailure)}); ${rest}`);
    return 1;
  }
  // a stop that came after everything was finished (during the last drain) changes nothing
  switch (finishedAll && sinkFailure === undefined ? undefined : report.stopReason) {
    case 'auth':
      notice(`stopped: the Track API rejected the credentials (HTTP 401); nothing was dead-lettered for it; ${rest} once siteId/apiKey are fixed`);
      return SEND_EXIT.auth;
    case 'outage':
      notice(`stopped: the Track API was unreachable or failing for ${formatMs(options.maxOutageMs ?? 60_000)} (last: ${report.outage ?? 'unknown'}); ${rest}`);
      return SEND_EXIT.outage;
    case 'signal':
      notice(`stopped by a signal after draining; ${rest}`);
      return SEND_EXIT.stopped;
    default:
      if (badLines.length > 0) notice(`--replay: ${badLines.length} damaged line${badLines.length === 1 ? '' : 's'} skipped (line${badLines.length === 1 ? '' : 's'} ${badLines.slice(0, 20).join(', ')}${badLines.length > 20 ? ', …' : ''}); everything else was replayed`);
      return report.events.failed > 0 || report.authFailed || badLines.length > 0 ? 1 : 0;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
