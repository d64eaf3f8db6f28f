// The default mapping of createUpdatePerson as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Create or Update Person: identify calls become Customer.io people.
target createUpdatePerson
title  "Create or Update Person"
when   type = "identify"

id                      = userId ?? traits.email
anonymous_id            = anonymousId
email                   = traits.email                 # a one-item list unwraps (field typing), as in Segment
created_at              = traits.created_at ?? traits.createdAt
group_id                = traits.objectId
custom_attributes       = traits
relationship_attributes = traits.relationshipAttributes
timestamp               = timestamp
convert_timestamp       = true
object_type_id          = traits.object_type_id ?? traits.objectTypeId
enable_batching         = true
batch_size              = 50

example "a known user" {
  input: { "type": "identify", "userId": "u1", "anonymousId": "anon-1", "timestamp": "2024-05-01T12:00:00.000Z",
           "traits": { "email": "jane@example.com", "name": "Jane", "createdAt": "2024-01-01T00:00:00Z" } }
  fields: { "id": "u1", "anonymous_id": "anon-1", "email": "jane@example.com", "created_at": "2024-01-01T00:00:00Z",
            "custom_attributes": { "email": "jane@example.com", "name": "Jane", "createdAt": "2024-01-01T00:00:00Z" },
            "timestamp": "2024-05-01T12:00:00.000Z", "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}

example "no userId: the email identifies the person, and the person joins an object" {
  input: { "type": "identify", "userId": null, "anonymousId": "anon-1", "timestamp": "2024-05-01T12:00:00.000Z",
           "traits": { "email": "jane@example.com", "objectId": "acme", "objectTypeId": "2",
                       "relationshipAttributes": { "role": "admin" } } }
  fields: { "id": "jane@example.com", "anonymous_id": "anon-1", "email": "jane@example.com", "group_id": "acme",
            "custom_attributes": { "email": "jane@example.com", "objectId": "acme", "objectTypeId": "2",
                                   "relationshipAttributes": { "role": "admin" } },
            "relationship_attributes": { "role": "admin" }, "timestamp": "2024-05-01T12:00:00.000Z",
            "convert_timestamp": true, "object_type_id": "2", "enable_batching": true, "batch_size": 50 }
}
`;
