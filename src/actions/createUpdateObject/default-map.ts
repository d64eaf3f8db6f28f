// The default mapping of createUpdateObject as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Create or Update Object: group calls become Customer.io objects.
# Only traits.objectAttributes become object attributes (Segment's choice, kept for compatibility).
target createUpdateObject
title  "Create or Update Object"
when   type = "group"

id                      = groupId
created_at              = traits.created_at ?? traits.createdAt
custom_attributes       = traits.objectAttributes
relationship_attributes = traits.relationshipAttributes
user_id                 = userId
anonymous_id            = anonymousId
object_type_id          = traits.object_type_id ?? traits.objectTypeId
convert_timestamp       = true
enable_batching         = true
batch_size              = 50

example "a company joined by a known user" {
  input: { "type": "group", "groupId": "acme", "userId": "u1", "anonymousId": "anon-1",
           "traits": { "name": "Acme", "objectTypeId": "2", "objectAttributes": { "name": "Acme", "seats": 5 },
                       "relationshipAttributes": { "role": "admin" } } }
  fields: { "id": "acme", "custom_attributes": { "name": "Acme", "seats": 5 }, "relationship_attributes": { "role": "admin" },
            "user_id": "u1", "anonymous_id": "anon-1", "object_type_id": "2",
            "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}
`;
