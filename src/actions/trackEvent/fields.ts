// Track Event: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person/event body.

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
export const title = 'Track Event';
/** One-line description of the action. */
export const description = 'Track an event for a known or anonymous person.';

/** Fields of Track Event, in display order; `name` is required. */
export const fields = fieldTable([
  personIdField,
  anonymousIdField,
  { key: 'name', label: 'Event Name', description: 'The name of the event.', type: 'string', required: true },
  eventIdField,
  eventTimestampField,
  eventDataField,
  convertTimestampField,
  ...batchingFields,
]);
