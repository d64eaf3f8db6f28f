// The destination's contract between per-event processing (match → map → build → validate)
// and delivery (batch → send → retry → dead letter).

import type { ActionKey, TrackRequest } from '../actions/types.js';

/** What `Destination.process(event)` returns (public API). */
export interface ProcessResult {
  matched: string[];
  requests: TrackRequest[];
  /** `at`: the `.map` position of the failing expression (`orders.map:13:3`), when known. */
  errors: Array<{ subscription: string; message: string; field?: string; at?: string }>;
  /** Non-fatal notes (e.g. an unparseable timestamp dropped by the strict profile); absent when none. */
  warnings?: Array<{ subscription: string; message: string }>;
}

/** One request with what delivery needs to batch it. */
export interface ProcessedItem {
  /** Subscription title. */
  subscription: string;
  action: ActionKey;
  request: TrackRequest;
  /** From the subscription's `enable_batching` / `batch_size` fields; `null` for unbatchable actions. */
  batching: { enabled: boolean; size: number } | null;
}

/** The detailed form used by `deliver` and the CLI: the same facts as ProcessResult, plus batching info. */
export interface DetailedProcessResult {
  matched: string[];
  items: ProcessedItem[];
  errors: Array<{ subscription: string; action?: ActionKey; message: string; field?: string; at?: string }>;
  /** Non-fatal notes from the builders (strict profile drops); absent when none. */
  warnings?: Array<{ subscription: string; action?: ActionKey; message: string }>;
}
