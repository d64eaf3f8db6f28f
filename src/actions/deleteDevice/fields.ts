// Delete Device: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person/delete_device body.

import { batchingFields, fieldTable, requiredPersonId } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Delete Device';
/** One-line description of the action. */
export const description = "Delete a person's device.";

/** Fields of Delete Device, in display order; both ids are required. */
export const fields = fieldTable([
  requiredPersonId('The ID of the person that this mobile device belongs to.'),
  {
    key: 'device_id',
    label: 'Device ID',
    description: "The device token of a customer's mobile device.",
    type: 'string',
    required: true,
  },
  ...batchingFields,
]);
