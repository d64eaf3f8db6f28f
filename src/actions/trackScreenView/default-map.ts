// The default mapping of trackScreenView as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Track Screen View: screen calls become Customer.io screen views.
target trackScreenView
title  "Track Screen View"
when   type = "screen"

id                = userId
anonymous_id      = anonymousId
event_id          = messageId
name              = name
timestamp         = timestamp
data              = properties
convert_timestamp = true
enable_batching   = true
batch_size        = 50

example "a screen view" {
  input: { "type": "screen", "name": "Settings", "userId": "u1", "anonymousId": "anon-1", "messageId": "msg-1",
           "timestamp": "2024-05-01T12:00:00.000Z", "properties": { "tab": "privacy" } }
  fields: { "id": "u1", "anonymous_id": "anon-1", "event_id": "msg-1", "name": "Settings",
            "timestamp": "2024-05-01T12:00:00.000Z", "data": { "tab": "privacy" },
            "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}
`;
