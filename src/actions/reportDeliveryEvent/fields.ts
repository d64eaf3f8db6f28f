// Report Delivery Event: the fields a .map file may assign (Segment's keys, labels and wording).
// build.ts turns them into a POST /api/v1/metrics body; the action is never batched by Customer.io,
// but Segment's preset still carries the batching fields, so they are accepted (and ignored).

import { batchingFields, fieldTable } from '../common-fields.js';

/** Display title of the action. */
export const title = 'Report Delivery Event';
/** One-line description of the action. */
export const description = 'Report delivery metrics for a message sent from the Customer.io Journeys product.';

/** The metrics Customer.io's `/api/v1/metrics` accepts. */
export const METRICS = Object.freeze([
  'delivered',
  'opened',
  'clicked',
  'converted',
  'spammed',
  'bounced',
  'dropped',
  'deferred',
] as const);

/** Fields of Report Delivery Event, in display order; delivery id and metric are required. */
export const fields = fieldTable([
  {
    key: 'delivery_id',
    label: 'Delivery ID',
    description: 'The CIO-Delivery-ID from the message that you want to associate the metric with.',
    type: 'string',
    required: true,
  },
  {
    key: 'metric',
    label: 'Metric',
    description:
      'The metric you want to report back to Customer.io. Not all metrics are available for all channels. Please refer to the [documentation](https://customer.io/docs/api/track/#operation/metrics) for more information.',
    type: 'string',
    required: true,
    choices: METRICS,
  },
  {
    key: 'recipient',
    label: 'Recipient',
    description:
      'Information about who the message was delivered to. For email, SMS and mobile push this is the email address, phone number and device token, respectively.',
    type: 'string',
  },
  {
    key: 'reason',
    label: 'Reason',
    description: 'For metrics indicating a failure, this field provides information for the failure.',
    type: 'string',
  },
  { key: 'href', label: 'Href', description: 'For click metrics, this is the link that was clicked.', type: 'string' },
  {
    key: 'action_name',
    label: 'Action Name',
    description: 'In-app message action name, for click metrics of in-app messages.',
    type: 'string',
  },
  {
    key: 'action_value',
    label: 'Action Value',
    description: 'In-app message action value, for click metrics of in-app messages.',
    type: 'string',
  },
  {
    key: 'timestamp',
    label: 'Timestamp',
    description: 'A timestamp of when the metric event took place. Default is when the event was triggered.',
    type: 'datetime',
  },
  ...batchingFields,
]);
