// Track Screen View: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person/screen body.

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
export const title = 'Track Screen View';
/** One-line description of the action. */
export const description = 'Track a screen view for a known or anonymous person.';

/** Fields of Track Screen View, in display order; `name` is required. */
export const fields = fieldTable([
  personIdField,
  anonymousIdField,
  eventIdField,
  { key: 'name', label: 'Screen name', description: 'The name of the screen visited.', type: 'string', required: true },
  eventTimestampField,
  eventDataField,
  convertTimestampField,
  ...batchingFields,
]);
