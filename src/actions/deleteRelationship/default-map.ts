// The default mapping of deleteRelationship as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Delete Relationship: removes a person from an object.
target deleteRelationship
title  "Delete Relationship"
when   event = "Relationship Deleted"

person_id       = userId
anonymous_id    = anonymousId
object_id       = properties.objectId
object_type_id  = properties.object_type_id ?? properties.objectTypeId
enable_batching = true
batch_size      = 50

example "a relationship deletion" {
  input: { "type": "track", "event": "Relationship Deleted", "userId": "u1", "anonymousId": "anon-1",
           "properties": { "objectId": "acme", "object_type_id": "2" } }
  fields: { "person_id": "u1", "anonymous_id": "anon-1", "object_id": "acme", "object_type_id": "2",
            "enable_batching": true, "batch_size": 50 }
}
`;
