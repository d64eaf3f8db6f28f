// The default mapping of deleteObject as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Delete Object: an "Object Deleted" event deletes the object.
target deleteObject
title  "Delete Object"
when   event = "Object Deleted"

object_id       = properties.objectId
object_type_id  = properties.object_type_id ?? properties.objectTypeId
enable_batching = true
batch_size      = 50

example "an object deletion" {
  input: { "type": "track", "event": "Object Deleted", "userId": "u1",
           "properties": { "objectId": "acme", "objectTypeId": "2" } }
  fields: { "object_id": "acme", "object_type_id": "2", "enable_batching": true, "batch_size": 50 }
}
`;
