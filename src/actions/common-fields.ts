// Field definitions shared by several Customer.io actions (identity, timestamps, batching).
// Each action's fields.ts composes these with its own fields; wording follows Segment's product page.

import type { FieldSchema } from './types.js';

/** `enable_batching`: every batchable action has it (default true). */
export const enableBatchingField: FieldSchema = Object.freeze({
  key: 'enable_batching',
  label: 'Batch Data to Customer.io',
  description: 'Set as true to ensure Segment sends data to Customer.io in batches.',
  type: 'boolean',
  default: true,
});

/** `batch_size`: the most events grouped into one `/api/v2/batch` request (2–100, default 50). */
export const batchSizeField: FieldSchema = Object.freeze({
  key: 'batch_size',
  label: 'Batch Size',
  description: 'Maximum number of events to include in each batch. Actual batch sizes may be lower.',
  type: 'integer',
  minimum: 2,
  maximum: 100,
  default: 50,
});

/** `convert_timestamp`: deep ISO-8601 → Unix seconds conversion of attribute values (default true). */
export const convertTimestampField: FieldSchema = Object.freeze({
  key: 'convert_timestamp',
  label: 'Convert Timestamps',
  description: 'Convert dates to Unix timestamps (seconds since Epoch).',
  type: 'boolean',
  default: true,
});

/** The person identifier of event-like actions (`id`), optional because anonymous events exist. */
export const personIdField: FieldSchema = Object.freeze({
  key: 'id',
  label: 'Person ID',
  description:
    'The ID used to uniquely identify a person in Customer.io. [Learn more](https://customer.io/docs/identifying-people/#identifiers).',
  type: 'string',
});

/** `anonymous_id` of event-like actions. */
export const anonymousIdField: FieldSchema = Object.freeze({
  key: 'anonymous_id',
  label: 'Anonymous ID',
  description: 'An anonymous ID for when no Person ID exists. [Learn more](https://customer.io/docs/anonymous-events/).',
  type: 'string',
});

/** `event_id`: the dedupe id of track/page/screen events (Segment maps `messageId`). */
export const eventIdField: FieldSchema = Object.freeze({
  key: 'event_id',
  label: 'Event ID',
  description:
    'An optional identifier used to deduplicate events. [Learn more](https://customer.io/docs/api/#operation/track).',
  type: 'string',
});

/** Root `timestamp` of event-like actions. */
export const eventTimestampField: FieldSchema = Object.freeze({
  key: 'timestamp',
  label: 'Timestamp',
  description: 'A timestamp of when the event took place. Default is current date and time.',
  type: 'string',
});

/** `data`: event attributes of track/page/screen/content events. */
export const eventDataField: FieldSchema = Object.freeze({
  key: 'data',
  label: 'Event Attributes',
  description: 'Optional data to include with the event.',
  type: 'object',
  additionalProperties: true,
});

/** A required `person_id` (device, relationship and person-lifecycle actions). */
export function requiredPersonId(description: string): FieldSchema {
  return Object.freeze({ key: 'person_id', label: 'Person ID', description, type: 'string', required: true });
}

/** `object_type_id` with Segment's wording (defaults to "1" when unset, in the builder). */
export const objectTypeIdField: FieldSchema = Object.freeze({
  key: 'object_type_id',
  label: 'Object Type Id',
  description:
    'The ID used to uniquely identify a custom object type in Customer.io. [Learn more](https://customer.io/docs/object-relationships).',
  type: 'string',
});

/**
 * Builds the frozen, ordered field table of an action from its field list.
 * Keys come from our own constant schemas (never from input), so a plain object is safe here.
 */
export function fieldTable(fields: readonly FieldSchema[]): Readonly<Record<string, FieldSchema>> {
  const table: Record<string, FieldSchema> = {};
  for (const field of fields) {
    if (Object.hasOwn(table, field.key)) throw new Error(`duplicate field ${field.key}`);
    table[field.key] = Object.freeze({ ...field });
  }
  return Object.freeze(table);
}

/** The two batching fields, appended to every batchable action's table. */
export const batchingFields: readonly FieldSchema[] = Object.freeze([enableBatchingField, batchSizeField]);
