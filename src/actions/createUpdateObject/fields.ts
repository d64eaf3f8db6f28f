// Create or Update Object: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into an object/identify (or identify_anonymous) body.

import { batchingFields, convertTimestampField, fieldTable, objectTypeIdField } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Create or Update Object';
/** One-line description of the action. */
export const description = 'Create an object in Customer.io or update them if they exist.';

/** Fields of Create or Update Object, in display order; the object `id` is required. */
export const fields = fieldTable([
  {
    key: 'id',
    label: 'Object ID',
    description:
      'The ID used to uniquely identify an object in Customer.io. [Learn more](https://customer.io/docs/object-relationships).',
    type: 'string',
    required: true,
  },
  { key: 'created_at', label: 'Created At', description: 'A timestamp of when the object was created.', type: 'string' },
  {
    key: 'custom_attributes',
    label: 'Object Attributes',
    description: 'Optional attributes for the object. When updating an object, attributes are added or updated, not removed.',
    type: 'object',
    additionalProperties: true,
  },
  {
    key: 'relationship_attributes',
    label: 'Relationship Attributes',
    description:
      'Optional attributes for the relationship between the object and the user. When updating an relationship, attributes are added or updated, not removed.',
    type: 'object',
    additionalProperties: true,
  },
  {
    key: 'user_id',
    label: 'User ID',
    description:
      'The ID used to relate a user to an object in Customer.io. [Learn more](https://customer.io/docs/identifying-people/#identifiers).',
    type: 'string',
  },
  {
    key: 'anonymous_id',
    label: 'Anonymous ID',
    description:
      'An anonymous ID to relate to an object when no Person ID exists. [Learn more](https://customer.io/docs/anonymous-events/).',
    type: 'string',
  },
  objectTypeIdField,
  convertTimestampField,
  ...batchingFields,
]);
