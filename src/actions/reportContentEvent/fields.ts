// Report Content Event: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person/viewed_content or clicked_content body (undocumented actions).

import {
  batchingFields,
  convertTimestampField,
  eventDataField,
  eventTimestampField,
  fieldTable,
} from '../common-fields.js';

/** Display title of the action. */
export const title = 'Report Content Event';
/** One-line description of the action. */
export const description = 'Report content events (views and clicks) for an anonymous person.';

/** The two content actions Customer.io accepts. */
export const CONTENT_ACTIONS = Object.freeze(['viewed_content', 'clicked_content'] as const);

/** Fields of Report Content Event, in display order; `actionType` is required. */
export const fields = fieldTable([
  {
    key: 'anonymous_id',
    label: 'Anonymous ID',
    description: 'An anonymous ID for when no Person ID exists. [Learn more](https://customer.io/docs/anonymous-events/).',
    type: 'string',
  },
  {
    key: 'actionType',
    label: 'Action Type',
    description: 'The type of content event: viewed_content or clicked_content.',
    type: 'string',
    required: true,
    choices: CONTENT_ACTIONS,
  },
  eventTimestampField,
  eventDataField,
  convertTimestampField,
  ...batchingFields,
]);
