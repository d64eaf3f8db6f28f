// Delete Relationship: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into an object/delete_relationships body.

import { batchingFields, fieldTable, requiredPersonId } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Delete Relationship';
/** One-line description of the action. */
export const description = 'Delete a relationship between a person and an object in Customer.io.';

/** Fields of Delete Relationship, in display order; person and object ids are required. */
export const fields = fieldTable([
  requiredPersonId(
    'The ID used to uniquely identify a person in Customer.io. [Learn more](https://customer.io/docs/identifying-people/#identifiers).',
  ),
  {
    key: 'anonymous_id',
    label: 'Anonymous ID',
    description: 'An anonymous ID for when no Person ID exists. [Learn more](https://customer.io/docs/anonymous-events/).',
    type: 'string',
  },
  {
    key: 'object_id',
    label: 'Object ID',
    description: 'An object ID used to identify an object.',
    type: 'string',
    required: true,
  },
  {
    key: 'object_type_id',
    label: 'Object Type ID',
    description: 'An object ID type used to identify the type of object.',
    type: 'string',
  },
  ...batchingFields,
]);
