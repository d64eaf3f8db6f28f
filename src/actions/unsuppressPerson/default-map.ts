// The default mapping of unsuppressPerson as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Unsuppress Person: a "User Unsuppressed" event unsuppresses the person named by userId.
target unsuppressPerson
title  "Unsuppress Person"
when   event = "User Unsuppressed"

person_id       = userId
enable_batching = true
batch_size      = 50

example "a known user" {
  input: { "type": "track", "event": "User Unsuppressed", "userId": "u1" }
  fields: { "person_id": "u1", "enable_batching": true, "batch_size": 50 }
}
`;
