// Merge People: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person/merge body (primary and secondary, no identifiers).

import { batchingFields, fieldTable } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Merge People';
/** One-line description of the action. */
export const description = 'Merge two customer profiles together.';

/** Fields of Merge People, in display order; both sides are required. */
export const fields = fieldTable([
  {
    key: 'primary',
    label: 'Primary person',
    description:
      'The person that you want to remain after the merge, identified by id, email or cio_id. This person receives information from the secondary person in the merge.',
    type: 'string',
    required: true,
  },
  {
    key: 'secondary',
    label: 'Secondary person',
    description:
      "The person that you want to delete after the merge, identified by id, email or cio_id. This person's information is merged into the primary person's profile and then it is deleted.",
    type: 'string',
    required: true,
  },
  ...batchingFields,
]);
