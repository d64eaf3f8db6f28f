// Create or Update Device: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a person/add_device body.

import { batchingFields, convertTimestampField, fieldTable, requiredPersonId } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Create or Update Device';
/** One-line description of the action. */
export const description = "Create or update a person's device.";

/** Fields of Create or Update Device, in display order; person, device token and platform are required. */
export const fields = fieldTable([
  requiredPersonId('The ID of the person that this mobile device belongs to.'),
  {
    key: 'device_id',
    label: 'Device ID',
    description: "The device token of a customer's mobile device.",
    type: 'string',
    required: true,
  },
  { key: 'app_version', label: 'App Version', description: 'The version of the App', type: 'string' },
  {
    key: 'platform',
    label: 'Platform',
    description: 'The mobile device\'s platform. ("ios" or "android")',
    type: 'string',
    required: true,
  },
  {
    key: 'last_used',
    label: 'Last Used',
    description: 'The timestamp for when the mobile device was last used. Default is current date and time.',
    type: 'string',
  },
  {
    key: 'attributes',
    label: 'Device Attributes',
    description:
      "Optional attributes for the device, like a person's attributes but specific to the device (for example push_enabled, device_model, device_locale).",
    type: 'object',
    additionalProperties: true,
  },
  convertTimestampField,
  ...batchingFields,
]);
