// Unsuppress Person: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person body that carries only identifiers.

import { batchingFields, fieldTable, requiredPersonId } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Unsuppress Person';
/** One-line description of the action. */
export const description = 'Unsuppress a person in Customer.io so that it can be identified again.';

/** Fields of Unsuppress Person, in display order; `person_id` is required. */
export const fields = fieldTable([
  requiredPersonId(
    'The ID used to uniquely identify a person in Customer.io. [Learn more](https://customer.io/docs/identifying-people/#identifiers).',
  ),
  ...batchingFields,
]);
