// Track Page View: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person/page body whose `name` is the page URL.

import {
  anonymousIdField,
  batchingFields,
  convertTimestampField,
  eventDataField,
  eventIdField,
  eventTimestampField,
  fieldTable,
  personIdField,
} from '../common-fields.js';

/** Display title of the action. */
export const title = 'Track Page View';
/** One-line description of the action. */
export const description = 'Track a page view for a known or anonymous person.';

/** Fields of Track Page View, in display order; `url` is required. */
export const fields = fieldTable([
  personIdField,
  anonymousIdField,
  eventIdField,
  { key: 'url', label: 'Page URL', description: 'The URL of the page visited.', type: 'string', required: true },
  eventTimestampField,
  eventDataField,
  convertTimestampField,
  ...batchingFields,
]);
