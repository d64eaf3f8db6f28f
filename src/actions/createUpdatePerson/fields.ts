// Create or Update Person: the fields a .map file may assign (Segment's keys, labels and wording).
// The mapping layer validates mapped values against these; build.ts turns them into a person/identify body.

import { batchingFields, convertTimestampField, fieldTable, objectTypeIdField } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Create or Update Person';
/** One-line description of the action. */
export const description = 'Create a person in Customer.io or update them if they exist.';

/** Fields of Create or Update Person, in display order. Nothing is required. */
export const fields = fieldTable([
  {
    key: 'id',
    label: 'Person ID',
    description:
      'The ID used to uniquely identify a person in Customer.io. [Learn more](https://customer.io/docs/identifying-people/#identifiers).',
    type: 'string',
  },
  {
    key: 'anonymous_id',
    label: 'Anonymous ID',
    description:
      'An optional anonymous ID. This is used to tie anonymous events to this person. [Learn more](https://customer.io/docs/anonymous-events/).',
    type: 'string',
  },
  { key: 'email', label: 'Email Address', description: "The person's email address.", type: 'string' },
  { key: 'created_at', label: 'Created At', description: 'A timestamp of when the person was created.', type: 'string' },
  {
    key: 'group_id',
    label: 'Object ID',
    description:
      'The ID used to uniquely identify an object in Customer.io. [Learn more](https://customer.io/docs/object-relationships).',
    type: 'string',
  },
  {
    key: 'custom_attributes',
    label: 'Person Attributes',
    description: 'Optional attributes for the person. When updating a person, attributes are added or updated, not removed.',
    type: 'object',
    additionalProperties: true,
  },
  {
    key: 'relationship_attributes',
    label: 'Relationship Attributes',
    description:
      'Optional attributes for the relationship between the object and the user. When updating an object, attributes are added or updated, not removed.',
    type: 'object',
    additionalProperties: true,
  },
  {
    key: 'timestamp',
    label: 'Timestamp',
    description:
      'A timestamp of when the person was identified. Default is current date and time. Used for ordering updates to the person.',
    type: 'string',
  },
  convertTimestampField,
  objectTypeIdField,
  ...batchingFields,
]);
