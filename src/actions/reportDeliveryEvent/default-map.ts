// The default mapping of reportDeliveryEvent as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Report Delivery Event: delivery metrics reported to /api/v1/metrics.
target reportDeliveryEvent
title  "Report Delivery Event"
when   event = "Report Delivery Event"

delivery_id     = properties.deliveryId
metric          = properties.metric
recipient       = properties.recipient
reason          = properties.reason
href            = properties.href
action_name     = properties.actionName
action_value    = properties.actionValue
timestamp       = timestamp
enable_batching = true
batch_size      = 50

example "a click" {
  input: { "type": "track", "event": "Report Delivery Event", "timestamp": "2024-05-01T12:00:00.000Z",
           "properties": { "deliveryId": "dlv-1", "metric": "clicked", "recipient": "jane@example.com",
                           "href": "https://x" } }
  fields: { "delivery_id": "dlv-1", "metric": "clicked", "recipient": "jane@example.com", "href": "https://x",
            "timestamp": "2024-05-01T12:00:00.000Z", "enable_batching": true, "batch_size": 50 }
}
`;
