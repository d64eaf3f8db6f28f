// The Track API JSON Schemas (customerio.md §2.7) per body profile, validated with ajv 2020:
// strict = documented schema + overlay items 1–3; segment = documented schema + the whole overlay.
// validateBody/validateBatch/validateMetrics turn ajv errors into `{field, message}` rows.
// The validators are ajv standalone code generated at build time from `validatorSources` and
// `metricsSource` (scripts/gen-validators.ts → src/generated/<profile>-*.cjs, metrics.cjs), each
// file loaded on first use: compiling them here cost every process ~0.1 s of loading ajv, and each
// first body of a kind a compile.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { lazyRequire } from '../lazy-require.js';
import { METRICS } from './reportDeliveryEvent/fields.js';
import { codePoints, identifierKind, IDENTIFIER_KINDS, inlineRefs, localDef, narrowForKeys } from './schema-fast.js';
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

/** One validator for the generator (scripts/gen-validators.ts): its key and the schema it compiles. */
export interface ValidatorSource {
  key: string;
  schema: Json;
}

/** Validators generated into one file, src/generated/<file>.cjs, loaded together on first use. */
export interface ValidatorGroup {
  file: string;
  sources: ValidatorSource[];
}

/**
 * What the generator compiles for one profile. `entitySchema` is added first so the others can
 * `$ref` it by `$id`. `all`: the all-errors validators that produce messages (keys `entity`,
 * `batch`). `fast`: the verdict-only validators (schema-fast.ts forms), one group per `then` branch
 * of the schema's if/then chain: key `body` (the branch without its `identifiers` property), and,
 * when the branch has one, `identifiers` (its schema) and `identifiers:<kind>` per IDENTIFIER_KINDS
 * kind (narrowed to that kind). A body's verdict is `body(b) && identifiers(b.identifiers)`: the
 * `identifiers` schema stated once per branch instead of inlined into eight whole-branch copies.
 */
export interface ProfileSources {
  entitySchema: Json;
  all: ValidatorGroup;
  fast: ValidatorGroup[];
}

/** The generated file of one group (see ProfileSources): `<profile>-all`, `<profile>-fast-<entity | $defs name>`. */
function groupFile(profile: Profile, part: 'all' | 'fast', name?: string): string {
  return name === undefined ? `${profile}-${part}` : `${profile}-${part}-${name}`;
}

/**
 * The verdict-only schemas of one `then` branch, every `$ref` inlined: the branch without its
 * `identifiers` property, and that property's schema (schema-fast.ts narrows it per kind). They
 * leave out the branch's `if` (type and action): `fastVerdict` runs them only on bodies whose type
 * and action select the branch. Splitting is exact: `properties` checks each key on its own, and
 * the branch's `required` (kept in `body`) still asks for `identifiers`.
 */
function branchSchemas(defs: Record<string, Json>, def: string): { body: Json; identifiers?: Json } {
  const branch = inlineRefs(defs[def], defs) as Json;
  const properties = branch.properties as Json | undefined;
  const identifiers = properties?.identifiers;
  if (identifiers === undefined || typeof identifiers !== 'object' || identifiers === null) return { body: { type: 'object', allOf: [branch] } };
  // with additionalProperties/patternProperties the other keys' checks would depend on `identifiers`
  if (branch.additionalProperties !== undefined || branch.patternProperties !== undefined) throw new Error(`${def}: cannot split identifiers off a closed branch`);
  // `identifiers: true` (anything) keeps the key declared, as the `required` beside it expects
  return { body: { type: 'object', allOf: [{ ...branch, properties: { ...properties, identifiers: true } }] }, identifiers: identifiers as Json };
}

/** The string values a schema's `const` or `enum` admits (none for anything else). */
function admitted(node: Json | undefined): string[] {
  if (node === undefined) return [];
  if (typeof node.const === 'string') return [node.const];
  return Array.isArray(node.enum) ? node.enum.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * type/action → the `$defs` entry of its `then` branch, read from the entity schema's own if/then
 * chain (`entity.allOf`: `if` names an `is_*` definition fixing type and action, `then` the branch),
 * so a profile overlay that widens an `is_*` action list is seen here. A branch selected by type
 * alone (delivery) has no pair: its bodies take the whole-entity validator.
 */
function profilePairs(defs: Record<string, Json>): Map<string, string> {
  const out = new Map<string, string>();
  for (const rule of (defs.entity!.allOf as Json[] | undefined) ?? []) {
    const test = props(defs[localDef((rule.if as Json).$ref, defs)]!);
    const branch = localDef((rule.then as Json).$ref, defs);
    for (const type of admitted(test.type)) {
      for (const action of admitted(test.action)) {
        // the chain is an allOf: two branches for one pair would both apply, which one fast validator cannot say
        if (out.has(`${type}/${action}`)) throw new Error(`entity schema: ${type}/${action} selects two branches`);
        out.set(`${type}/${action}`, branch);
      }
    }
  }
  return out;
}

/** The type/action pairs of a profile's entity schema (for tests). */
export function entityPairs(profile: Profile): ReadonlyMap<string, string> {
  return profilePairs(defs(entitySchemaFor(profile)));
}

/** Every validator of one profile, as the generator compiles it (see ProfileSources). */
export function validatorSources(profile: Profile): ProfileSources {
  const entity = entitySchemaFor(profile);
  const id = entity.$id as string;
  const d = defs(entity);
  const fast: ValidatorGroup[] = [];
  for (const def of new Set(profilePairs(d).values())) {
    const { body, identifiers } = branchSchemas(d, def);
    const sources: ValidatorSource[] = [{ key: 'body', schema: body }];
    if (identifiers !== undefined) {
      sources.push({ key: 'identifiers', schema: identifiers });
      for (const [kind, keys] of Object.entries(IDENTIFIER_KINDS)) {
        const narrowed = narrowForKeys(identifiers, keys);
        sources.push({ key: `identifiers:${kind}`, schema: narrowed as Json });
      }
    }
    fast.push({ file: groupFile(profile, 'fast', def), sources });
  }
  const all = [
    { key: 'entity', schema: { $ref: `${id}#/$defs/entity` } },
    { key: 'batch', schema: batchSchemaFor(profile) },
  ];
  return { entitySchema: entity, all: { file: groupFile(profile, 'all'), sources: all }, fast };
}

/** The `/api/v1/metrics` body validator, for the generator. */
export function metricsSource(): ValidatorGroup {
  return { file: 'metrics', sources: [{ key: 'metrics', schema: clone(METRICS_SCHEMA) }] };
}

/** What a generated file (src/generated/<file>.cjs) exports: a factory given our helpers, returning its validators by key. */
type GeneratedFactory = (helpers: { codePoints: (text: string) => number }) => Readonly<Record<string, ValidateFunction>>;

/** The validators of one generated file, loaded when first asked for (a command that validates no body parses none). */
function loadGroup(file: string, keys: readonly string[]): Readonly<Record<string, ValidateFunction>> {
  const validators = (lazyRequire(`./generated/${file}.cjs`) as GeneratedFactory)({ codePoints });
  for (const key of keys) if (!Object.hasOwn(validators, key)) throw new Error(`src/generated/${file}.cjs has no validator ${key}: run \`npm run build\``);
  return validators;
}

/** One branch's verdict-only validators: the body without identifiers, and its identifiers (any, and by kind). */
interface BranchValidators {
  readonly body: ValidateFunction;
  readonly identifiers?: ValidateFunction;
  readonly byKind: ReadonlyMap<string, ValidateFunction>;
}

/** A branch of a type/action pair: its `$defs` name, its validators once loaded. */
interface Branch {
  readonly def: string;
  loaded?: BranchValidators;
}

/** One profile's validators (generated at build time, each file loaded on first use). */
class Validators {
  private all?: Readonly<Record<string, ValidateFunction>>;
  /** type → action → its branch (nested maps: no key string built per body; no prototype keys). */
  private readonly byPair = new Map<string, Map<string, Branch>>();
  /** Whether each branch splits identifiers off (known from the schema, so a missing key is a stale file). */
  private readonly split = new Map<string, boolean>();

  constructor(private readonly profile: Profile) {
    const d = defs(entitySchemaFor(profile));
    const branches = new Map<string, Branch>();
    for (const [pair, def] of profilePairs(d)) {
      let branch = branches.get(def);
      if (branch === undefined) {
        branches.set(def, (branch = { def }));
        this.split.set(def, branchSchemas(d, def).identifiers !== undefined);
      }
      const [type, action] = pair.split('/') as [string, string];
      let actions = this.byPair.get(type);
      if (!actions) this.byPair.set(type, (actions = new Map()));
      actions.set(action, branch);
    }
  }

  /** The whole entity schema, all errors (messages; unknown type/action pairs). */
  get entity(): ValidateFunction {
    return (this.all ??= loadGroup(groupFile(this.profile, 'all'), ['entity', 'batch'])).entity!;
  }

  get batch(): ValidateFunction {
    return (this.all ??= loadGroup(groupFile(this.profile, 'all'), ['entity', 'batch'])).batch!;
  }

  private load(branch: Branch): BranchValidators {
    const kinds = Object.keys(IDENTIFIER_KINDS).map((kind) => `identifiers:${kind}`);
    const split = this.split.get(branch.def) === true;
    const g = loadGroup(groupFile(this.profile, 'fast', branch.def), split ? ['body', 'identifiers', ...kinds] : ['body']);
    const byKind = new Map(split ? Object.keys(IDENTIFIER_KINDS).map((kind) => [kind, g[`identifiers:${kind}`]!]) : []);
    return (branch.loaded = split ? { body: g.body!, identifiers: g.identifiers!, byKind } : { body: g.body!, byKind });
  }

  /**
   * The entity schema's verdict on this body, the fastest way: for a known type/action pair, its
   * `then` branch inlined (the body, then its identifiers narrowed by their kind); for any other
   * body (no valid pair: it fails), the whole entity schema.
   */
  fastVerdict(body: unknown): boolean {
    if (body !== null && typeof body === 'object') {
      const { type, action } = body as { type?: unknown; action?: unknown };
      if (typeof type === 'string' && typeof action === 'string') {
        const branch = this.byPair.get(type)?.get(action);
        if (branch !== undefined) {
          const v = branch.loaded ?? this.load(branch);
          if (!v.body(body)) return false;
          if (v.identifiers === undefined) return true;
          // ajv's `properties` reads the key as `data.identifiers !== undefined`: the same read here
          const identifiers = (body as { identifiers?: unknown }).identifiers;
          if (identifiers === undefined) return true;
          const kind = identifierKind(identifiers);
          return (kind === undefined ? v.identifiers : v.byKind.get(kind)!)(identifiers);
        }
      }
    }
    return this.entity(body);
  }
}

const validators: Partial<Record<Profile, Validators>> = {};

/** A profile's validators, set up on first use. */
function validatorsFor(profile: Profile): Validators {
  return (validators[profile] ??= new Validators(profile));
}

let metricsValidator: ValidateFunction | undefined;

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
  const v = validatorsFor(profile);
  if (v.fastVerdict(body)) return [];
  const full = v.entity;
  return full(body) ? [] : describeErrors(full.errors);
}

/**
 * The two verdicts `validateEntity` could reach: the specialised fast validator's and the whole
 * entity schema's. They must always agree (a property test checks it).
 */
export function entityVerdicts(profile: Profile, body: unknown): { fast: boolean; full: boolean } {
  const v = validatorsFor(profile);
  return { fast: v.fastVerdict(body), full: v.entity(body) };
}

/** Validates one `/api/v2/batch` body (`{batch: [...]}`); `[]` when valid. */
export function validateBatch(profile: Profile, body: unknown): BodyError[] {
  const validate = validatorsFor(profile).batch;
  return validate(body) ? [] : describeErrors(validate.errors);
}

/** Validates one `/api/v1/metrics` body; `[]` when valid. */
export function validateMetrics(body: unknown): BodyError[] {
  const validate = (metricsValidator ??= loadGroup('metrics', ['metrics']).metrics!);
  return validate(body) ? [] : describeErrors(validate.errors);
}

/** The compiled JSON Schemas as data (for docs, the CLI, and tests). */
export function schemaFor(profile: Profile): { entity: Json; batch: Json; metrics: Json } {
  return { entity: entitySchemaFor(profile), batch: batchSchemaFor(profile), metrics: METRICS_SCHEMA };
}
