// Shapes shared by the Customer.io actions: field schemas (what a .map file may assign and
// the checker verifies), and the body builder contract (validated fields → Track API request).

export type { ActionKey } from './default-maps.generated.js';
import type { ActionKey } from './default-maps.generated.js';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'object';

/** One field of an action, as Segment's action definition declares it (key, label, description, type, …). */
export interface FieldSchema {
  key: string;
  label: string;
  description: string;
  type: FieldType;
  required?: boolean;
  /** Allowed values (enum), e.g. `metric`, `actionType`. */
  choices?: readonly string[];
  /** Default value when the mapping leaves the field unset (e.g. `convert_timestamp: true`, `batch_size: 50`). */
  default?: unknown;
  /** Numeric bounds (batch_size 2–100). */
  minimum?: number;
  maximum?: number;
  /** Free-form object (custom_attributes, data): object-typed fields accept dotted assignments. */
  additionalProperties?: boolean;
}

export type Profile = 'strict' | 'segment';

export interface TrackRequest {
  method: 'POST' | 'DELETE' | 'PUT';
  url: string;
  body: unknown;
}

export interface BuildContext {
  profile: Profile;
  /** Base URL for the region (or an endpoint override), without trailing slash. */
  baseUrl: string;
  /** The clock, in ms since epoch (Report Delivery Event reads it for events without a timestamp). */
  now: () => number;
}

export type BuildResult =
  | { ok: true; request: TrackRequest; warnings?: string[] }
  | { ok: false; errors: Array<{ message: string; field?: string }> };

/** A builder: validated fields → one Track API request. Never throws; never mutates `fields`. */
export type Builder = (fields: Readonly<Record<string, unknown>>, ctx: BuildContext) => BuildResult;

/** A Customer.io action, put together from its folder (actions/index.ts): fields, default trigger and mapping, body builder. */
export interface ActionDefinition<K extends string = ActionKey> {
  key: K;
  title: string;
  description: string;
  /** Field schemas in display order, keyed by field key. */
  fields: Readonly<Record<string, FieldSchema>>;
  /** FQL used when a subscription names this action without `when`: the default.map's `when` header. */
  readonly defaultTrigger: string;
  /** The default mapping as .map source text: the action folder's default.map. */
  defaultMapping: string;
  /** Whether the action can be batched (`/api/v2/batch`); Report Delivery Event cannot. */
  batchable: boolean;
  /** Builds the request from mapped fields. Never throws; never mutates `fields`. */
  build: Builder;
}
