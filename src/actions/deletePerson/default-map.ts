// The default mapping of deletePerson as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Delete Person: a "User Deleted" event deletes the person named by userId.
target deletePerson
title  "Delete Person"
when   event = "User Deleted"

person_id       = userId
enable_batching = true
batch_size      = 50

example "a known user" {
  input: { "type": "track", "event": "User Deleted", "userId": "u1" }
  fields: { "person_id": "u1", "enable_batching": true, "batch_size": 50 }
}
`;
