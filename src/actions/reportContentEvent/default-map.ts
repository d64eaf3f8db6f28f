// The default mapping of reportContentEvent as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Report Content Event: content views and clicks of anonymous visitors.
target reportContentEvent
title  "Report Content Event"
when   event = "Report Content Event"

anonymous_id      = anonymousId
actionType        = properties.actionType
timestamp         = timestamp
data              = properties
convert_timestamp = true
enable_batching   = true
batch_size        = 50

example "a content view" {
  input: { "type": "track", "event": "Report Content Event", "anonymousId": "anon-1",
           "timestamp": "2024-05-01T12:00:00.000Z",
           "properties": { "actionType": "viewed_content", "contentId": 7 } }
  fields: { "anonymous_id": "anon-1", "actionType": "viewed_content", "timestamp": "2024-05-01T12:00:00.000Z",
            "data": { "actionType": "viewed_content", "contentId": 7 },
            "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}
`;
