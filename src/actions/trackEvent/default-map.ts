// The default mapping of trackEvent as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Track Event: track calls become Customer.io events.
target trackEvent
title  "Track Event"
when   type = "track" and event != "Application Installed" and event != "Application Opened"
       and event != "Application Uninstalled" and event != "Relationship Deleted" and event != "User Deleted"
       and event != "User Suppressed" and event != "User Unsuppressed" and event != "Object Deleted"
       and event != "Report Delivery Event"

id                = userId
anonymous_id      = anonymousId
name              = event
event_id          = messageId
timestamp         = timestamp
data              = properties
convert_timestamp = true
enable_batching   = true
batch_size        = 50

example "an order by a known user" {
  input: { "type": "track", "event": "Order Completed", "userId": "u1", "anonymousId": "anon-1", "messageId": "msg-1",
           "timestamp": "2024-05-01T12:00:00.000Z", "properties": { "revenue": 42.5 } }
  fields: { "id": "u1", "anonymous_id": "anon-1", "name": "Order Completed", "event_id": "msg-1",
            "timestamp": "2024-05-01T12:00:00.000Z", "data": { "revenue": 42.5 },
            "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}

example "an anonymous visitor" {
  input: { "type": "track", "event": "Signup Started", "anonymousId": "anon-1", "messageId": "msg-2",
           "timestamp": "2024-05-01T12:00:00.000Z" }
  fields: { "anonymous_id": "anon-1", "name": "Signup Started", "event_id": "msg-2",
            "timestamp": "2024-05-01T12:00:00.000Z", "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}
`;
