// The destination: configuration (settings, presets, subscriptions, profile) checked once, then per
// event: match subscriptions (one indexed trigger set) → map fields → build and validate the body.
// `process` gives public results; `processDetailed` adds batching facts for `deliver`.

import { getAction } from '../actions/index.js';
import { MAX_SUBSCRIPTIONS, presetSource, presetsFor } from '../actions/presets.js';
import { ConfigError, resolveSettings, type ResolvedSettings } from '../settings/settings.js';
import type { ActionDefinition, ActionKey, BuildContext, Profile, TrackRequest } from '../actions/types.js';
import { compileTriggerSet, type TriggerSet } from '../evaluator/trigger-set.js';
import { isRecord } from '../evaluator/value.js';
import { compileMapping } from '../mapping/api.js';
import type { Subscription } from '../mapping/subscription.js';
import { deliver as runDelivery } from './deliver.js';
import type { DeliverOptions } from './options.js';
import type { DeliveryReport } from './report.js';
import type { DetailedProcessResult, ProcessedItem, ProcessResult } from './types.js';

/** The configuration of `createDestination` (ARCHITECTURE.md), plus test hooks. */
export interface DestinationConfig {
  settings: { siteId: string; apiKey: string; region?: 'US' | 'EU' | 'US 🇺🇸' | 'EU 🇪🇺' };
  /** Built-in subscriptions: `quick` (default, the seven Quick Setup presets), `all` (every action), `none`. */
  presets?: 'quick' | 'all' | 'none';
  /** Subscription objects (compiled `.map` files, imported Segment JSON) or `.map` source text. */
  subscriptions?: ReadonlyArray<Subscription | string>;
  /** Body profile (customerio.md §0.5), default `strict`. */
  profile?: Profile;
  /** Base URL override (tests, proxies); wins over the region. */
  endpoint?: string;
  /** Clock in ms since epoch (default `Date.now`); Report Delivery Event reads it. */
  now?: () => number;
}

/** A configured destination. */
export interface Destination {
  /** Matches, maps and builds one event. Never throws; never mutates the event. */
  process(event: unknown): ProcessResult;
  /** The same, with each request's action and batching (used by `deliver` and the CLI). */
  processDetailed(event: unknown): DetailedProcessResult;
  /** The GDPR delete request for a person (`DELETE /api/v1/customers/{id}`, id URL-encoded). */
  deletePerson(id: string | number): TrackRequest;
  /** Batches and sends events (delivery runtime). */
  deliver(events: AsyncIterable<unknown> | Iterable<unknown>, options?: DeliverOptions): Promise<DeliveryReport>;
  /** Titles of the subscriptions, in matching order. */
  readonly subscriptions: readonly string[];
  readonly profile: Profile;
}

/** Compiles `.map` source into a Subscription (the mapping layer's `compileMapping`). */
export type MappingCompiler = (source: string, options?: { filename?: string }) => Subscription;

interface Compiled {
  readonly title: string;
  readonly subscription: Subscription;
  readonly action: ActionDefinition;
}

const PROFILES: ReadonlySet<string> = new Set(['strict', 'segment']);
const PRESET_NAMES: ReadonlySet<string> = new Set(['quick', 'all', 'none']);

function isSubscription(value: unknown): value is Subscription {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Partial<Subscription>;
  return typeof s.map === 'function' && typeof s.action === 'string' && typeof s.trigger?.source === 'string';
}

function compileAll(config: DestinationConfig, compile: MappingCompiler): Compiled[] {
  const presetName = config.presets ?? 'quick';
  if (!PRESET_NAMES.has(presetName)) throw new ConfigError(`presets must be "quick", "all" or "none", got ${JSON.stringify(String(presetName))}`);
  const given = config.subscriptions ?? [];
  if (!Array.isArray(given)) throw new ConfigError('subscriptions must be an array of Subscription objects or .map source text');
  const presets = presetsFor(presetName);
  const total = presets.length + given.length;
  if (total > MAX_SUBSCRIPTIONS) {
    throw new ConfigError(`a destination has at most ${MAX_SUBSCRIPTIONS} subscriptions; this configuration has ${total} (${presets.length} from presets "${presetName}")`);
  }
  const subscriptions: Subscription[] = presets.map((preset) => compile(presetSource(preset), { filename: `preset ${preset.title}` }));
  given.forEach((entry, i) => {
    if (typeof entry === 'string') subscriptions.push(compile(entry, { filename: `subscriptions[${i}]` }));
    else if (isSubscription(entry)) subscriptions.push(entry);
    else throw new ConfigError(`subscriptions[${i}] is neither a Subscription nor .map source text`);
  });
  // Titles name subscriptions in dead letters and replays: two with one title would mix them up.
  const where = (i: number): string => (i < presets.length ? `preset "${presets[i]!.title}"` : `subscriptions[${i - presets.length}]`);
  const byTitle = new Map<string, number>();
  subscriptions.forEach((s, i) => {
    const first = byTitle.get(s.title);
    if (first !== undefined) {
      throw new ConfigError(`${where(i)} has the title ${JSON.stringify(s.title)} of ${where(first)}; titles must be unique (dead letters and replays name subscriptions by title)`);
    }
    byTitle.set(s.title, i);
  });
  return subscriptions.map((subscription, i) => {
    const action = getAction(subscription.action);
    if (!action) throw new ConfigError(`subscriptions[${i}] targets unknown action ${JSON.stringify(subscription.action)}`);
    return Object.freeze({ title: subscription.title, subscription, action });
  });
}

/** Batching facts of one request, from the mapped `enable_batching`/`batch_size` (Segment's defaults). */
function batchingOf(action: ActionDefinition, fields: Record<string, unknown>): ProcessedItem['batching'] {
  if (!action.batchable) return null;
  const size = typeof fields.batch_size === 'number' && Number.isFinite(fields.batch_size) ? Math.trunc(fields.batch_size) : 50;
  return { enabled: fields.enable_batching !== false, size: Math.min(100, Math.max(2, size)) };
}

/** `processDetailed`'s sink: the request with its subscription, action and batching facts. */
function addItem(result: DetailedProcessResult, c: Compiled, request: TrackRequest, fields: Record<string, unknown>): void {
  result.items.push({ subscription: c.title, action: c.action.key, request, batching: batchingOf(c.action, fields) });
}

/** `process`'s sink: the request alone. */
function addRequest(result: ProcessResult, _c: Compiled, request: TrackRequest): void {
  result.requests.push(request);
}

/** What a non-object event is, for the per-event error (no content is echoed). */
function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object that is not plain JSON' : typeof value;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unexpected failure';
}

/**
 * Builds a destination with an explicit mapping compiler (the public `createDestination` passes the
 * mapping layer's `compileMapping`). Throws ConfigError before any event for a bad configuration;
 * messages never contain the credentials.
 */
export function createDestinationWith(config: DestinationConfig, compile: MappingCompiler): Destination {
  if (config === null || typeof config !== 'object') throw new ConfigError('createDestination needs a configuration object');
  const profile = config.profile ?? 'strict';
  if (!PROFILES.has(profile)) throw new ConfigError(`profile must be "strict" or "segment", got ${JSON.stringify(String(profile))}`);
  const settings: ResolvedSettings = resolveSettings(config.settings, config.endpoint);
  const redact = settings.redact;
  let compiled: Compiled[];
  try {
    compiled = compileAll(config, compile);
  } catch (error) {
    // Compile errors carry source text, never settings; redact anyway in case a .map file quotes them.
    if (error instanceof Error) error.message = redact(error.message);
    throw error;
  }
  let triggers: TriggerSet;
  try {
    triggers = compileTriggerSet(compiled.map((c) => c.subscription.trigger.source));
  } catch (error) {
    throw new ConfigError(`a subscription trigger does not compile: ${redact(describe(error))}`);
  }
  if (config.now !== undefined && typeof config.now !== 'function') throw new ConfigError('now must be a function returning ms since epoch');
  const now = config.now ?? Date.now;
  const ctx: BuildContext = Object.freeze({ profile, baseUrl: settings.baseUrl, now });

  /**
   * The per-event work shared by `process` and `processDetailed`: `sink` receives each request
   * (with its action and mapped fields, for batching facts), errors and warnings go to the result.
   * One loop, no intermediate result for `process` to copy.
   */
  function run<R extends ProcessResult | DetailedProcessResult>(
    event: unknown,
    result: R,
    detailed: boolean,
    sink: (result: R, c: Compiled, request: TrackRequest, fields: Record<string, unknown>) => void,
  ): R {
    const errors = result.errors as DetailedProcessResult['errors'];
    // No trigger can match a non-object; say why the event is not served instead of skipping it silently.
    if (!isRecord(event)) {
      errors.push({ subscription: '*', message: `the event is not a JSON object (got ${describeKind(event)})` });
      return result;
    }
    let indices: readonly number[];
    try {
      indices = triggers.match(event);
    } catch (error) {
      errors.push({ subscription: '*', message: `trigger evaluation failed: ${redact(describe(error))}` });
      return result;
    }
    for (let i = 0; i < indices.length; i++) {
      const c = compiled[indices[i]!]!;
      const title = c.title;
      result.matched.push(title);
      const key: ActionKey = c.action.key;
      try {
        const mapped = c.subscription.map(event);
        if (!mapped.ok) {
          for (const e of mapped.errors) {
            const message = redact(e.message);
            if (detailed) errors.push({ subscription: title, action: key, message, field: e.field });
            else errors.push(e.field === undefined ? { subscription: title, message } : { subscription: title, message, field: e.field });
          }
          continue;
        }
        const fields = mapped.fields as Record<string, unknown>;
        const built = c.action.build(fields, ctx);
        if (!built.ok) {
          for (const e of built.errors) {
            const row: DetailedProcessResult['errors'][number] = detailed
              ? { subscription: title, action: key, message: redact(e.message) }
              : { subscription: title, message: redact(e.message) };
            if (e.field !== undefined) row.field = e.field;
            errors.push(row);
          }
          continue;
        }
        sink(result, c, built.request, fields);
        if (built.warnings) {
          const warnings = (result.warnings ??= []) as NonNullable<DetailedProcessResult['warnings']>;
          for (const w of built.warnings) {
            const message = redact(w);
            warnings.push(detailed ? { subscription: title, action: key, message } : { subscription: title, message });
          }
        }
      } catch (error) {
        // One failing subscription never affects the others.
        const message = redact(describe(error));
        errors.push(detailed ? { subscription: title, action: key, message } : { subscription: title, message });
      }
    }
    return result;
  }

  function processDetailed(event: unknown): DetailedProcessResult {
    return run<DetailedProcessResult>(event, { matched: [], items: [], errors: [] }, true, addItem);
  }

  function process(event: unknown): ProcessResult {
    return run<ProcessResult>(event, { matched: [], requests: [], errors: [] }, false, addRequest);
  }

  const destination: Destination = {
    process,
    processDetailed,
    deletePerson(id) {
      if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
        throw new TypeError('deletePerson needs a non-empty person id');
      }
      // URL-encoded, unlike Segment's onDelete (customerio.md §1.4, §3.17 item 11).
      return { method: 'DELETE', url: `${settings.baseUrl}/api/v1/customers/${encodeURIComponent(String(id))}`, body: null };
    },
    deliver(events, options = {}) {
      return runDelivery(destination, events, options, settings);
    },
    subscriptions: Object.freeze(compiled.map((c) => c.title)),
    profile,
  };
  return Object.freeze(destination);
}

/**
 * Creates a destination (ARCHITECTURE.md): settings checked, presets and subscriptions compiled
 * (`.map` text through `compileMapping`), triggers indexed — all before the first event. Throws
 * ConfigError (or CompileError for bad `.map` text) on a bad configuration, never echoing credentials.
 */
export function createDestination(config: DestinationConfig): Destination {
  return createDestinationWith(config, compileMapping);
}
