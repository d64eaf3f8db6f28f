// The CLI's one door to the library: every command imports the public API from here, and here
// only from '../index.js'. An export the library does not (yet) have fails with a clear message.

import * as lib from '../index.js';
import type { Diagnostic } from '../index.js';

/** Raised when the library lacks an export a command needs; printed as a one-line error (exit 2). */
export class NotAvailableError extends Error {
  constructor(readonly exportName: string) {
    super(`\`${exportName}\` is not available in this build of the library (src/index.ts does not export it)`);
    this.name = 'NotAvailableError';
  }
}

/** The library's export `name`, or a NotAvailableError. */
export function need<T>(name: string): T {
  const value = (lib as Record<string, unknown>)[name];
  if (value === undefined) throw new NotAvailableError(name);
  return value as T;
}

/** The library's export `name`, or undefined (for optional features such as the function table). */
export function maybe<T>(name: string): T | undefined {
  return (lib as Record<string, unknown>)[name] as T | undefined;
}

export { CompileError } from '../index.js';
export type { Diagnostic } from '../index.js';

// ── shapes of the public API (ARCHITECTURE.md "Public API") ──

export interface Trigger {
  source: string;
  matches(event: unknown): boolean;
  reads: string[][];
}

export interface FieldError {
  message: string;
  field?: string;
  /** 1-based line of the `.map` statement that produced the value. */
  line?: number;
}

/** An `example` block of a .map file. */
export interface MappingExample {
  readonly title: string;
  readonly input: unknown;
  readonly fields?: unknown;
  readonly body?: unknown;
  readonly line: number;
}

/** One field of the effective mapping: where it comes from (the file or the action's defaults). */
export interface FieldInfo {
  readonly field: string;
  readonly expr: string;
  readonly origin: 'mapping' | 'default';
  readonly guard?: string;
  readonly line?: number;
}

export interface Subscription {
  readonly title: string;
  readonly action: string;
  readonly trigger: Trigger;
  map(event: unknown): { ok: true; fields: object } | { ok: false; errors: FieldError[] };
  toMapSource(): string;
  readonly examples?: readonly MappingExample[];
  readonly fields?: readonly FieldInfo[];
  readonly reads?: readonly (readonly string[])[];
}

export interface TrackRequest {
  method: string;
  url: string;
  body: unknown;
}

export interface DetailedProcessResult {
  matched: string[];
  items: Array<{ subscription: string; action: string; request: TrackRequest }>;
  errors: Array<{ subscription: string; action?: string; message: string; field?: string }>;
}

export interface DestinationConfig {
  settings: { siteId: string; apiKey: string; region?: 'US' | 'EU' };
  presets?: 'quick' | 'all' | 'none';
  subscriptions?: Array<Subscription | string>;
  profile?: 'strict' | 'segment';
}

export interface Destination {
  process(event: unknown): { matched: string[]; requests: TrackRequest[]; errors: Array<{ subscription: string; message: string; field?: string }> };
  processDetailed?(event: unknown): DetailedProcessResult;
  deliver(events: AsyncIterable<unknown> | Iterable<unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

export type FormatDiagnostic = (source: string, diagnostic: Diagnostic, options?: { filename?: string; color?: boolean }) => string;

// ── typed accessors ──

export const compileTrigger = (source: string): Trigger => need<(s: string) => Trigger>('compileTrigger')(source);
export const checkTrigger = (source: string): Diagnostic[] => need<(s: string) => Diagnostic[]>('checkTrigger')(source);
export const compileMapping = (source: string, options?: { filename?: string }): Subscription =>
  need<(s: string, o?: { filename?: string }) => Subscription>('compileMapping')(source, options);
export const checkMapping = (source: string, options?: { filename?: string }): Diagnostic[] =>
  need<(s: string, o?: { filename?: string }) => Diagnostic[]>('checkMapping')(source, options);
export const importSegmentSubscription = (json: unknown): Subscription => need<(j: unknown) => Subscription>('importSegmentSubscription')(json);
export const createDestination = (config: DestinationConfig): Destination => need<(c: DestinationConfig) => Destination>('createDestination')(config);
export const formatDiagnostic: FormatDiagnostic = (source, diagnostic, options) => need<FormatDiagnostic>('formatDiagnostic')(source, diagnostic, options);
