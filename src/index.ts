// The public API of cio-actions: explicit named exports, grouped by pipeline stage.
// Keep names as in ARCHITECTURE.md; they are part of the contract.

// ── diagnostics ──
export { CompileError } from './diagnostics/diagnostic.js';
export type { Diagnostic, Span } from './diagnostics/diagnostic.js';
export type { Code } from './diagnostics/codes.js';
export { formatDiagnostic } from './diagnostics/render.js';
export type { FormatOptions } from './diagnostics/render.js';
export { closestName } from './diagnostics/suggest.js';

// ── triggers (FQL) ──
export { compileTrigger, checkTrigger } from './evaluator/trigger.js';
export type { Trigger } from './evaluator/trigger.js';
export { compileTriggerSet } from './evaluator/match/set.js';
export { whyTrigger } from './evaluator/explain.js';
export type { TriggerWhy } from './evaluator/explain.js';
export type { TriggerSet } from './evaluator/match/set.js';
export { explainTrigger } from './evaluator/explain.js';
export type { TriggerExplanation, TriggerStep } from './evaluator/explain.js';

// ── mappings (.map and Segment JSON) ──
export { compileMapping, checkMapping, importSegmentSubscription } from './mapping/api.js';
export type { Subscription, FieldError, MapResult, MappingExample, FieldInfo } from './mapping/subscription.js';
export type { SegmentSubscription } from './mapping/segment/import.js';
export { compileMappingExpression } from './mapping/expression.js';
export type { MappingExpression } from './mapping/expression.js';
export { MAPPING_FUNCTIONS } from './mapping/functions/index.js';

// ── actions ──
export type { ActionKey, ActionDefinition, FieldSchema, Profile, TrackRequest } from './actions/types.js';
export type { BuildContext, BuildResult, FieldType } from './actions/types.js';
export { ACTIONS, actionKeys, getAction, isActionKey } from './actions/index.js';
export { QUICK_PRESETS, ALL_ACTION_PRESETS, MAX_SUBSCRIPTIONS, presetsFor } from './actions/presets.js';
export type { Preset } from './actions/presets.js';
export { validateEntity, validateBatch, validateMetrics, schemaFor } from './actions/schemas.js';
export type { BodyError } from './actions/schemas.js';
export { LIMITS } from './actions/limits.js';

// ── settings and secrets (src/settings/: the only home of regions, endpoint, credentials, redaction) ──
export { ConfigError, TRACK_ENDPOINTS, resolveSettings, parseRegion } from './settings/settings.js';
/** The same table as TRACK_ENDPOINTS (kept for callers of the earlier name). */
export { TRACK_ENDPOINTS as REGION_BASE_URLS } from './settings/settings.js';
export type { Settings, ResolvedSettings, DeliveryContext, Region } from './settings/settings.js';
export { createRedactor, REDACTED } from './settings/redact.js';
export type { Redactor, Secrets } from './settings/redact.js';

// ── destination and delivery ──
export { createDestination } from './runtime/destination.js';
export type { Destination, DestinationConfig } from './runtime/destination.js';
export type { ProcessResult, DetailedProcessResult, ProcessedItem } from './runtime/types.js';
// delivery: batch → send → retry → outcome; dead letters and replay (src/runtime/deliver.ts and friends)
export { deliver, DeliveryError } from './runtime/deliver.js';
export type { ProcessSource } from './runtime/deliver.js';
export type { DeliverOptions, EventOutcome } from './runtime/options.js';
export type { DeliveryReport } from './runtime/report.js';
export type { RetryPolicy } from './runtime/retry.js';
export type { OrderingMode } from './runtime/batcher.js';
export type { Clock, Random } from './runtime/clock.js';
export { createDeadLetterFile, readDeadLetters } from './runtime/dead-letter-file.js';
export { deadLetterLine } from './runtime/dead-letter.js';
export type { BadLine } from './runtime/dead-letter.js';
export type { DeadLetter, DeadLetterFile, DeadLetterSink } from './runtime/dead-letter.js';
export { replayDeadLetters, isReplayEntry, resumeEntry } from './runtime/replay.js';
export type { ReplayEntry, ReplaySkip } from './runtime/replay.js';
