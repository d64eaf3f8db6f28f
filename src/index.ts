// The public API of cio-actions: explicit named exports, grouped by pipeline stage.
// Keep names as in ARCHITECTURE.md; they are part of the contract.

// ── diagnostics ──
export { CompileError } from './diagnostics/diagnostic.js';
export type { Diagnostic, Span } from './diagnostics/diagnostic.js';

// ── triggers (FQL) ──
export { compileTrigger, checkTrigger } from './evaluator/trigger.js';
export type { Trigger } from './evaluator/trigger.js';
export { compileTriggerSet } from './evaluator/trigger-set.js';
export type { TriggerSet } from './evaluator/trigger-set.js';

// ── mappings (.map and Segment JSON) ──

// ── actions ──
export type { ActionKey, ActionDefinition, FieldSchema, Profile, Settings, TrackRequest } from './actions/types.js';

// ── destination and delivery ──
export type { ProcessResult } from './runtime/types.js';
