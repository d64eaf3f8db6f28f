// The compiled form of a `.map` file (or imported Segment subscription): the Subscription the
// destination runs per event, and the shapes it reports (FieldError, examples, field info).

import type { ActionKey } from '../actions/types.js';
import type { Trigger } from '../evaluator/trigger.js';

/** Why one event could not be mapped for one subscription: the field, the `.map` line, the event's messageId. */
export interface FieldError {
  /** Field key (`email`, `custom_attributes.plan`), or `$name` for a failing `let`. */
  field: string;
  message: string;
  /**
   * 1-based line of the statement in the `.map` source that produced the value, or of the
   * object entry inside it that failed (absent for imported JSON and default mappings).
   */
  line?: number;
  /** 1-based column of that object entry's key, when the failure is inside an object value. */
  column?: number;
  /** The event's `messageId`, when it has one. */
  messageId?: string;
}

/** The result of mapping one event: the fields, or every field error. */
export type MapResult = { ok: true; fields: Record<string, unknown> } | { ok: false; errors: FieldError[] };

/** An `example` block: input event and the expected fields and/or request body. */
export interface MappingExample {
  readonly title: string;
  readonly input: unknown;
  readonly fields?: unknown;
  readonly body?: unknown;
  readonly line: number;
}

/** One step of the effective mapping (for `explain`): a field assignment or a `let`, where it comes from. */
export interface FieldInfo {
  /** Field key, dotted for assignments into object fields; `$name` for a `let`. */
  readonly field: string;
  /** Set on a `let $name = …` step (its value feeds later steps, not the action). */
  readonly let?: true;
  /** The expression as `.map` text. */
  readonly expr: string;
  /** `mapping` when the file assigns it, `default` when it comes from the action's default mapping. */
  readonly origin: 'mapping' | 'default';
  readonly guard?: string;
  readonly line?: number;
}

/** A compiled subscription: which action, for which events, and how fields are computed. Frozen. */
export interface Subscription {
  readonly title: string;
  /** The file name given to `compileMapping` (for `file:line` in event errors); absent for imported JSON without one. */
  readonly filename?: string;
  readonly action: ActionKey;
  readonly trigger: Trigger;
  /** Maps one event to validated fields. Never throws; never mutates the event. */
  map(event: unknown): MapResult;
  /** `.map` text of the subscription (the source for `.map` files, printed for imported JSON). */
  toMapSource(): string;
  /** The `example` blocks, ready to run. */
  readonly examples: readonly MappingExample[];
  /** The effective mapping in execution order (`let`s included): the action's defaults that apply, then the file's statements. */
  readonly fields: readonly FieldInfo[];
  /** Event paths the mapping reads (keys only; `[*]`/indexes stop a path). */
  readonly reads: readonly string[][];
}
