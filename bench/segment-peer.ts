// Segment's own pipeline for one Customer.io subscription, built from Segment's published packages:
// FQL match (destination-subscriptions), mapping (actions-core `transform`), root clean-up and field
// typing (`removeEmptyValues` + `validateSchema` on `fieldsToJsonSchema` of our field schemas).
// Used as the benchmark peer and by the builder-level parity test.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FieldSchema } from '../src/actions/types.js';

const require = createRequire(import.meta.url);

interface SegmentCore {
  transform(mapping: unknown, data: unknown): Record<string, unknown>;
  validateSchema(obj: unknown, schema: unknown, options?: { schemaKey?: string; throwIfInvalid?: boolean }): boolean;
  fieldsToJsonSchema(fields: Record<string, unknown>): Record<string, unknown>;
}
interface SegmentSubscriptions {
  parseFql(fql: string): unknown;
  validate(ast: unknown, event: unknown): boolean;
}

const core = require('@segment/actions-core') as SegmentCore;
const subscriptions = require('@segment/destination-subscriptions') as SegmentSubscriptions;
// Not in the package's `exports` map: load it by file path next to the resolved entry point.
const coreDir = dirname(require.resolve('@segment/actions-core'));
const { removeEmptyValues } = require(join(coreDir, 'remove-empty-values.js')) as {
  removeEmptyValues(obj: unknown, schema: unknown, isRoot?: boolean): Record<string, unknown>;
};

/** Segment `InputField`s from our field schemas (the same keys, types, required flags and choices). */
export function segmentInputFields(fields: Readonly<Record<string, FieldSchema>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const input: Record<string, unknown> = { label: field.label, description: field.description, type: field.type };
    if (field.required) input.required = true;
    if (field.choices) input.choices = [...field.choices];
    if (field.minimum !== undefined) input.minimum = field.minimum;
    if (field.maximum !== undefined) input.maximum = field.maximum;
    out[key] = input;
  }
  return out;
}

/** One Segment subscription, compiled the way Segment's runtime would hold it. */
export interface SegmentSubscription {
  name: string;
  matches(event: unknown): boolean;
  /** Mapped, cleaned and validated payload, or the validation error message. */
  payload(event: unknown): { ok: true; payload: Record<string, unknown> } | { ok: false; message: string };
}

/** Compiles a Segment preset (`subscribe` FQL + mapping JSON) against an action's fields. */
export function segmentSubscription(
  preset: { name: string; subscribe: string; mapping: Record<string, unknown> },
  fields: Readonly<Record<string, FieldSchema>>,
): SegmentSubscription {
  const ast = subscriptions.parseFql(preset.subscribe);
  const schema = core.fieldsToJsonSchema(segmentInputFields(fields));
  const schemaKey = `cio-actions-peer:${preset.name}`;
  return {
    name: preset.name,
    matches: (event) => subscriptions.validate(ast, event),
    payload(event) {
      const mapped = core.transform(preset.mapping, event);
      const cleaned = removeEmptyValues(mapped, schema, true);
      try {
        core.validateSchema(cleaned, schema, { schemaKey });
        return { ok: true, payload: cleaned };
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** Segment's Customer.io action as its destination definition holds it. */
interface SegmentAction {
  title: string;
  fields: Record<string, unknown>;
  perform(request: (url: string, options: { method: string; json: unknown }) => unknown, data: { payload: unknown; settings: unknown }): unknown;
}

/** One subscription of Segment's whole event: the trigger, then the payload stage, then `perform`. */
export interface SegmentWholeEvent {
  name: string;
  /** The body `perform` hands to its HTTP client, or undefined when the trigger does not match or the payload is invalid. */
  process(event: unknown): unknown;
}

/**
 * Segment's whole per-event work for its 15 presets, all from bench/peer/'s packages (`peerRequire`
 * of bench/peer-install.ts): destination-subscriptions `validate` on the pre-parsed trigger,
 * actions-core `transform`, `removeEmptyValues(payload, schema, true)` and `validateSchema` on
 * `fieldsToJsonSchema` of the action's own fields (what actions-core's `Action.execute` runs),
 * then the Customer.io action's `perform(request, { payload, settings })`, with `request` a
 * function that captures `json` in place of the HTTP client.
 */
export function segmentWholeEvent(
  presets: ReadonlyArray<{ name: string; partnerAction: string; subscribe: string; mapping: Record<string, unknown> }>,
  peerRequire: NodeJS.Require,
): SegmentWholeEvent[] {
  const peerCore = peerRequire('@segment/actions-core') as SegmentCore;
  const peerSubscriptions = peerRequire('@segment/destination-subscriptions') as SegmentSubscriptions;
  const peerCoreDir = dirname(peerRequire.resolve('@segment/actions-core'));
  const peerRemove = (peerRequire(join(peerCoreDir, 'remove-empty-values.js')) as { removeEmptyValues: typeof removeEmptyValues }).removeEmptyValues;
  const destinationDir = dirname(peerRequire.resolve('@segment/action-destinations/package.json'));
  const destination = peerRequire(join(destinationDir, 'dist/destinations/customerio/index.js')) as {
    default: { name: string; actions: Record<string, SegmentAction> };
  };
  const settings = { siteId: 's', apiKey: 'k', accountRegion: 'US 🇺🇸' };
  let captured: unknown;
  const request = (_url: string, options: { method: string; json: unknown }): unknown => {
    captured = options.json;
    return undefined;
  };
  return presets.map((preset) => {
    const action = destination.default.actions[preset.partnerAction];
    if (!action) throw new Error(`Segment's Customer.io destination has no action ${preset.partnerAction}`);
    const ast = peerSubscriptions.parseFql(preset.subscribe);
    const schema = peerCore.fieldsToJsonSchema(action.fields);
    const schemaKey = `${destination.default.name}:${action.title}`;
    return {
      name: preset.name,
      process(event) {
        if (!peerSubscriptions.validate(ast, event)) return undefined;
        const payload = peerRemove(peerCore.transform(preset.mapping, event), schema, true);
        try {
          peerCore.validateSchema(payload, schema, { schemaKey });
        } catch {
          return undefined;
        }
        captured = undefined;
        action.perform(request, { payload, settings });
        return captured;
      },
    };
  });
}
