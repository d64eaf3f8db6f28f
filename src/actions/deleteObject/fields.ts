// Delete Object: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into an object/delete body.

import { batchingFields, fieldTable } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Delete Object';
/** One-line description of the action. */
export const description = 'Delete an object in Customer.io.';

/** Fields of Delete Object, in display order (Segment requires neither). */
export const fields = fieldTable([
  { key: 'object_id', label: 'Object ID', description: 'An object ID used to identify an object.', type: 'string' },
  {
    key: 'object_type_id',
    label: 'Object Type ID',
    description: 'An object ID type used to identify the type of object.',
    type: 'string',
  },
  ...batchingFields,
]);
