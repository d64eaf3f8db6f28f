// The default mapping of trackPageView as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Track Page View: page calls become Customer.io page views named by URL.
target trackPageView
title  "Track Page View"
when   type = "page"

id                = userId
anonymous_id      = anonymousId
event_id          = messageId
url               = properties.url
timestamp         = timestamp
data              = properties
convert_timestamp = true
enable_batching   = true
batch_size        = 50

example "a page view" {
  input: { "type": "page", "userId": "u1", "anonymousId": "anon-1", "messageId": "msg-1",
           "timestamp": "2024-05-01T12:00:00.000Z",
           "properties": { "url": "https://example.com/home", "title": "Home" } }
  fields: { "id": "u1", "anonymous_id": "anon-1", "event_id": "msg-1", "url": "https://example.com/home",
            "timestamp": "2024-05-01T12:00:00.000Z", "data": { "url": "https://example.com/home", "title": "Home" },
            "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}
`;
