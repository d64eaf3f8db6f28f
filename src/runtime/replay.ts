// Replay of dead letters: turns a dead-letter file into entries `deliver` accepts next to events.
// An entry with a request is re-sent as is (re-batched, never re-mapped); one without is re-processed.

import type { TrackRequest } from '../actions/types.js';
import { LINE, type BadLine } from './dead-letter.js';
import { readDeadLetters } from './dead-letter-file.js';
import { isRecord, ownOf } from '../evaluator/value.js';

const REPLAY: unique symbol = Symbol('cio-actions.replay');

/**
 * One thing to re-deliver. Built only by `replayDeadLetters`/`replayEntry` (the brand is a symbol,
 * so no parsed event can pass for one).
 */
export interface ReplayEntry {
  readonly [REPLAY]: true;
  /** The original event position. */
  index: number;
  messageId: string | null;
  /** A ready-made request: sent again without re-processing. */
  item?: {
    subscription: string;
    action: string;
    request: TrackRequest;
    batching: { enabled: boolean; size: number } | null;
  };
  /** No request existed: the original event, re-processed through the destination … */
  event?: unknown;
  /** … keeping only this subscription's results (null: all), so items that were delivered are not sent twice. */
  subscription?: string | null;
  /** A resumed event: what an earlier run already settled (EventOutcome.settled) is not sent or dead-lettered again. */
  skip?: ReplaySkip;
  /** A resumed event an earlier run may have sent (in flight when it ended): what is accepted now counts as ambiguous. */
  resent?: boolean;
}

/** Items (by position in processing order) and processing errors an earlier run already finished. */
export interface ReplaySkip {
  items: number[];
  processErrors: boolean;
}

/** An input event to deliver again after a stop (`run --send --resume`), minus what was already settled. */
export function resumeEntry(index: number, event: unknown, skip?: ReplaySkip, resent = false): ReplayEntry {
  const messageId = typeof event === 'object' && event !== null && Object.hasOwn(event, 'messageId') ? (event as { messageId: unknown }).messageId : null;
  return {
    [REPLAY]: true,
    index,
    messageId: typeof messageId === 'string' ? messageId : null,
    event,
    subscription: null,
    ...(skip ? { skip: { items: [...skip.items], processErrors: skip.processErrors === true } } : {}),
    ...(resent ? { resent: true } : {}),
  };
}

/** True for entries built by this module. */
export function isReplayEntry(x: unknown): x is ReplayEntry {
  return typeof x === 'object' && x !== null && (x as { [REPLAY]?: unknown })[REPLAY] === true;
}

const METHODS = new Set(['POST', 'PUT', 'DELETE']);


/** Builds a replay entry from one parsed dead letter; throws TypeError when it is neither replayable form. */
export function replayEntry(letter: Record<string, unknown>): ReplayEntry {
  const index = ownOf(letter, 'index');
  const messageId = ownOf(letter, 'messageId');
  const subscription = ownOf(letter, 'subscription');
  const base = {
    [REPLAY]: true as const,
    index: typeof index === 'number' && Number.isInteger(index) ? index : -1,
    messageId: typeof messageId === 'string' ? messageId : null,
  };
  const request = ownOf(letter, 'request');
  if (isRecord(request)) {
    const method = ownOf(request, 'method');
    const url = ownOf(request, 'url');
    const action = ownOf(letter, 'action');
    if (typeof method !== 'string' || !METHODS.has(method) || typeof url !== 'string' || typeof action !== 'string') {
      throw new TypeError('dead letter has a malformed request (method, url and action are required)');
    }
    const b = ownOf(letter, 'batching');
    const batching =
      isRecord(b) && typeof ownOf(b, 'enabled') === 'boolean' && typeof ownOf(b, 'size') === 'number'
        ? { enabled: b.enabled as boolean, size: b.size as number }
        : null;
    return {
      ...base,
      item: {
        subscription: typeof subscription === 'string' ? subscription : '',
        action,
        request: { method: method as TrackRequest['method'], url, body: ownOf(request, 'body') },
        batching,
      },
    };
  }
  if (Object.hasOwn(letter, 'event')) {
    const named = typeof subscription === 'string' && subscription !== '' && subscription !== '*';
    return { ...base, event: letter.event, subscription: named ? subscription : null };
  }
  throw new TypeError('dead letter has neither a request nor an event: nothing to replay');
}

/**
 * Yields replay entries for a dead-letter file (path) or its lines, for `deliver`/`run --send`.
 * Several processing errors of one event and subscription collapse into one re-processing.
 * Without `onBadLine` an unreadable or unreplayable line throws; with it, it is reported and skipped.
 */
export async function* replayDeadLetters(
  source: string | AsyncIterable<string> | Iterable<string>,
  options: { onBadLine?: (bad: BadLine) => void } = {},
): AsyncGenerator<ReplayEntry> {
  const seen = new Set<string>();
  for await (const letter of readDeadLetters(source, options)) {
    let entry: ReplayEntry;
    try {
      entry = replayEntry(letter);
    } catch (err) {
      if (options.onBadLine === undefined) throw err;
      options.onBadLine({ line: letter[LINE] ?? 0, message: `dead-letter line ${letter[LINE] ?? '?'}: ${(err as Error).message}` });
      continue;
    }
    if (entry.item === undefined) {
      const key = `${entry.index}\u0000${entry.messageId ?? ''}\u0000${entry.subscription ?? ''}`;
      if (entry.index >= 0 && seen.has(key)) continue;
      seen.add(key);
    }
    yield entry;
  }
}
