// The Track API JSON Schemas (customerio.md §2.7) per body profile, compiled once (lazily) with ajv 2020:
// strict = documented schema + overlay items 1–3; segment = documented schema + the whole overlay.
// validateBody/validateBatch/validateMetrics turn ajv errors into `{field, message}` rows.

import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { METRICS } from './reportDeliveryEvent/fields.js';
import { identifierKind, IDENTIFIER_KINDS, inlineRefs, narrowForKeys, withCheapLengths } from './schema-fast.js';
import { BATCH_SCHEMA, ENTITY_SCHEMA } from './schema-defs.js';
import type { Profile } from './types.js';


type Json = Record<string, unknown>;
const BASE_ID = 'https://example.invalid/customerio/track-v2/';

/** A body validation problem: the JSON path of the offending value (dotted) and why. */
export interface BodyError {
  field?: string;
  message: string;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function defs(schema: Json): Record<string, Json> {
  return schema.$defs as Record<string, Json>;
}

function props(node: Json): Record<string, Json> {
  return node.properties as Record<string, Json>;
}

/** Overlay items 1–3 of "Segment-compatible profile" (used by both profiles, §0.5). */
function applyCommonOverlay(schema: Json): void {
  const d = defs(schema);
  // 1. Event `id` is Segment's messageId, not a ULID.
  d.ulid = { type: 'string', minLength: 1, $comment: 'overlay 1: any non-empty string (Segment messageId).' };
  // 2. Anonymous identifiers for identify and event-like bodies.
  d.personIdentifiersOrAnonymous = {
    anyOf: [
      { $ref: '#/$defs/personIdentifiers' },
      {
        type: 'object',
        required: ['anonymous_id'],
        properties: { anonymous_id: { type: 'string', minLength: 1 } },
        additionalProperties: false,
      },
    ],
  };
  props(d.personIdentify!).identifiers = { $ref: '#/$defs/personIdentifiersOrAnonymous' };
  props(d.personEventLike!).identifiers = { $ref: '#/$defs/personIdentifiersOrAnonymous' };
  // 3. The undocumented content-event actions behave like events.
  const entity = d.entity!;
  const personBranch = (entity.anyOf as Json[])[0]!;
  (props(personBranch).action!.enum as string[]).push('viewed_content', 'clicked_content');
  (props(d.is_personEventLike!).action!.enum as string[]).push('viewed_content', 'clicked_content');
}

/** Overlay items 4–5: what Segment sends for devices and root timestamps without normalising. */
function applySegmentOverlay(schema: Json): void {
  const d = defs(schema);
  const device = props(d.personAddDevice!).device!;
  const deviceProps = props(device);
  deviceProps.platform = { type: 'string', minLength: 1 };
  deviceProps.last_used = { type: ['integer', 'string'] };
  deviceProps.attributes = { type: 'object' };
  const lenientTimestamp = { type: ['integer', 'number', 'string'] };
  props(d.personIdentify!).timestamp = lenientTimestamp;
  props(d.personEventLike!).timestamp = lenientTimestamp;
}

function entitySchemaFor(profile: Profile): Json {
  const schema = clone(ENTITY_SCHEMA) as Json;
  schema.$id = `${BASE_ID}entity.${profile}.schema.json`;
  applyCommonOverlay(schema);
  if (profile === 'segment') applySegmentOverlay(schema);
  return schema;
}

function batchSchemaFor(profile: Profile): Json {
  const schema = clone(BATCH_SCHEMA) as Json;
  schema.$id = `${BASE_ID}batch.${profile}.schema.json`;
  props(schema).batch!.items = { $ref: `entity.${profile}.schema.json#/$defs/entity` };
  return schema;
}

/** `/api/v1/metrics` body (§3.15); not part of §2.7, written from Customer.io's metrics reference. */
const METRICS_SCHEMA: Json = {
  $id: `${BASE_ID}metrics.schema.json`,
  type: 'object',
  required: ['delivery_id', 'metric'],
  properties: {
    delivery_id: { type: 'string', minLength: 1 },
    metric: { enum: [...METRICS] },
    timestamp: { type: 'number' },
    recipient: { type: 'string' },
    reason: { type: 'string' },
    href: { type: 'string' },
    metadata: { type: 'object' },
  },
};

/** An ajv logger that keeps errors and drops warnings (see Validators). */
const QUIET = { log: (): void => undefined, warn: (): void => undefined, error: (...args: unknown[]): void => console.error(...args) };

/**
 * One profile's validators. Compiling all of them costs a few hundred ms, so each is compiled on
 * first use and kept: once per process, never per event.
 */
class Validators {
  private readonly all: Ajv2020;
  private readonly fast: Ajv2020;
  private readonly id: string;
  private readonly defs: Record<string, Json>;
  private readonly personActions: readonly string[];
  private readonly defByPair = new Map<string, string>();
  /** type → action → the pair's validators (nested maps: no key string built per body). */
  private readonly byPair = new Map<string, Map<string, PairValidators>>();
  private entityAll?: ValidateFunction;
  private entityFast?: ValidateFunction;
  private batchAll?: ValidateFunction;

  constructor(private readonly profile: Profile) {
    // Strict bodies also pass the UTF-8 byte checks (limits.ts), which reject every string that is
    // over a maxLength in UTF-16 units; so strict can count units (fast) instead of code points.
    // (ajv still honours `unicode: false` but warns that the option is deprecated; with `strict: true`
    // every other compile-time problem throws, so its warn channel carries nothing else we need.)
    // `validateSchema: false`: our schemas are checked against the 2020-12 meta-schema once, in
    // test/actions/schemas.test.ts; compiling the meta-schema in every instance cost ~300 ms per process start.
    const options = { strict: true, allowUnionTypes: true, unicode: profile !== 'strict', logger: QUIET, validateSchema: false } as const;
    this.all = new Ajv2020({ ...options, allErrors: true });
    // The verdict-only schemas are rewritten (schema-fast.ts): a string keyword may stand without
    // `type: "string"` there, which is what strictTypes would refuse.
    this.fast = new Ajv2020({ ...options, strictTypes: false, allErrors: false });
    withCheapLengths(this.fast, profile !== 'strict');
    const entity = entitySchemaFor(profile);
    this.id = entity.$id as string;
    this.defs = defs(entity);
    this.all.addSchema(entity);
    this.personActions = props((this.defs.entity!.anyOf as Json[])[0]!).action!.enum as string[];
    for (const [type, actions, def] of PAIRS) {
      // Content actions exist only where the overlay added them to the person action list.
      for (const action of actions) if (type !== 'person' || this.personActions.includes(action)) this.defByPair.set(`${type}/${action}`, def);
    }
  }

  /** The whole entity schema, all errors (messages; unknown type/action pairs). */
  entity(): ValidateFunction {
    return (this.entityAll ??= this.all.compile({ $ref: `${this.id}#/$defs/entity` }));
  }

  /**
   * The verdict-only validator of one type/action pair: the one `then` branch the schema's
   * if/then chain selects, plus the pair's consts, with every `$ref` inlined; `identifiers` narrowed
   * to the branch its keys allow when `kind` names them (schema-fast.ts).
   */
  private compilePair(type: string, action: string, def: string, kind: string | undefined): ValidateFunction {
    const branch = inlineRefs(this.defs[def], this.defs) as Json;
    const properties = branch.properties as Json | undefined;
    if (kind !== undefined && properties !== undefined && Object.hasOwn(properties, 'identifiers')) {
      properties.identifiers = narrowForKeys(properties.identifiers, IDENTIFIER_KINDS[kind]!);
    }
    return this.fast.compile({
      type: 'object',
      required: ['type', 'action'],
      properties: { type: { const: type }, action: { const: action } },
      allOf: [branch],
    });
  }

  /**
   * The fastest validator with the entity schema's verdict for this body: for a known type/action
   * pair, the pair's inlined branch, narrowed by the kind of its `identifiers`.
   */
  fastFor(body: unknown): ValidateFunction {
    if (body !== null && typeof body === 'object') {
      const { type, action, identifiers } = body as { type?: unknown; action?: unknown; identifiers?: unknown };
      if (typeof type === 'string' && typeof action === 'string') {
        let pair = this.byPair.get(type)?.get(action);
        if (pair === undefined) {
          const def = this.defByPair.get(`${type}/${action}`);
          if (def !== undefined) {
            pair = { def, any: this.compilePair(type, action, def, undefined), byKind: new Map() };
            let actions = this.byPair.get(type);
            if (!actions) this.byPair.set(type, (actions = new Map()));
            actions.set(action, pair);
          }
        }
        if (pair !== undefined) {
          const kind = identifierKind(identifiers);
          if (kind === undefined) return pair.any;
          let narrowed = pair.byKind.get(kind);
          if (narrowed === undefined) pair.byKind.set(kind, (narrowed = this.compilePair(type, action, pair.def, kind)));
          return narrowed;
        }
      }
    }
    return (this.entityFast ??= this.fast.compile(inlineRefs({ $ref: '#/$defs/entity' }, this.defs) as Json));
  }

  batch(): ValidateFunction {
    return (this.batchAll ??= this.all.compile(batchSchemaFor(this.profile)));
  }
}

/** One type/action pair's verdict-only validators: any identifiers, and narrowed per identifier kind. */
interface PairValidators {
  readonly def: string;
  readonly any: ValidateFunction;
  readonly byKind: Map<string, ValidateFunction>;
}

/** [type, actions, $defs entry] for every pair the entity schema's if/then chain knows. */
const PAIRS: ReadonlyArray<readonly [string, readonly string[], string]> = [
  ['person', ['identify'], 'personIdentify'],
  ['person', ['event', 'page', 'screen', 'viewed_content', 'clicked_content'], 'personEventLike'],
  ['person', ['add_relationships', 'delete_relationships'], 'personRelationships'],
  ['person', ['add_device'], 'personAddDevice'],
  ['person', ['delete_device'], 'personDeleteDevice'],
  ['person', ['merge'], 'personMerge'],
  ['person', ['delete', 'suppress', 'unsuppress'], 'personBare'],
  ['object', ['identify'], 'objectIdentify'],
  ['object', ['identify_anonymous'], 'objectIdentifyAnonymous'],
  ['object', ['delete'], 'objectDelete'],
  ['object', ['add_relationships', 'delete_relationships'], 'objectRelationships'],
];

const VALIDATORS: Readonly<Record<Profile, Validators>> = Object.freeze({
  strict: new Validators('strict'),
  segment: new Validators('segment'),
});
const METRICS_VALIDATOR = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, validateSchema: false }).compile(METRICS_SCHEMA);

function isWrapper(error: ErrorObject): boolean {
  return error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

/** JSON pointer (`/identifiers/id`) → dotted path (`identifiers.id`). */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/**
 * Readable errors from ajv's list: the wrapper keywords (`if`, `anyOf`, `oneOf`) are dropped when a
 * more specific error exists, duplicates are merged, and `required` names the missing property.
 */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): BodyError[] {
  if (!errors || errors.length === 0) return [{ message: 'invalid body' }];
  // A failed oneOf/anyOf below the root reports every branch; keep only the errors below the value it
  // checks (a bad `identifiers.id`), or else one summary at its path, instead of each branch's noise.
  // (The root anyOf only discriminates type/action; its useful errors sit at `/type` or `/action`.)
  const alternatives = [...new Set(errors.filter((e) => isWrapper(e) && e.keyword !== 'if' && e.instancePath !== '').map((e) => e.instancePath))];
  const chosen: ErrorObject[] = [];
  for (const alt of alternatives) {
    if (!errors.some((e) => !isWrapper(e) && e.instancePath.startsWith(`${alt}/`))) {
      chosen.push({ ...errors.find((e) => e.instancePath === alt && isWrapper(e))!, message: 'does not match any allowed form' });
    }
  }
  for (const e of errors) {
    if (isWrapper(e) || alternatives.includes(e.instancePath)) continue;
    chosen.push(e);
  }
  if (chosen.length === 0) chosen.push(...errors);
  const seen = new Set<string>();
  const out: BodyError[] = [];
  for (const error of chosen) {
    let field = dotted(error.instancePath);
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      field = field ? `${field}.${missing}` : missing;
      message = 'is required';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      message = `must not have property ${JSON.stringify(extra)}`;
    }
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(field ? { field, message } : { message });
  }
  return out;
}

/**
 * Validates one `/api/v2/entity` body; `[]` when valid. Known type/action pairs go through the
 * specialised validator (same verdict as the entity schema, without its if/then chain); only a
 * failing body pays for the all-errors pass that produces the messages.
 */
export function validateEntity(profile: Profile, body: unknown): BodyError[] {
  const v = VALIDATORS[profile];
  if (v.fastFor(body)(body)) return [];
  const full = v.entity();
  return full(body) ? [] : describeErrors(full.errors);
}

/**
 * The two verdicts `validateEntity` could reach: the specialised fast validator's and the whole
 * entity schema's. They must always agree (a property test checks it).
 */
export function entityVerdicts(profile: Profile, body: unknown): { fast: boolean; full: boolean } {
  const v = VALIDATORS[profile];
  return { fast: v.fastFor(body)(body), full: v.entity()(body) };
}

/** Validates one `/api/v2/batch` body (`{batch: [...]}`); `[]` when valid. */
export function validateBatch(profile: Profile, body: unknown): BodyError[] {
  const validate = VALIDATORS[profile].batch();
  return validate(body) ? [] : describeErrors(validate.errors);
}

/** Validates one `/api/v1/metrics` body; `[]` when valid. */
export function validateMetrics(body: unknown): BodyError[] {
  return METRICS_VALIDATOR(body) ? [] : describeErrors(METRICS_VALIDATOR.errors);
}

/** The compiled JSON Schemas as data (for docs, the CLI, and tests). */
export function schemaFor(profile: Profile): { entity: Json; batch: Json; metrics: Json } {
  return { entity: entitySchemaFor(profile), batch: batchSchemaFor(profile), metrics: METRICS_SCHEMA };
}
