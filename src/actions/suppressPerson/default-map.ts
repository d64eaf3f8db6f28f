// The default mapping of suppressPerson as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Suppress Person: a "User Suppressed" event suppresses the person named by userId.
target suppressPerson
title  "Suppress Person"
when   event = "User Suppressed"

person_id       = userId
enable_batching = true
batch_size      = 50

example "a known user" {
  input: { "type": "track", "event": "User Suppressed", "userId": "u1" }
  fields: { "person_id": "u1", "enable_batching": true, "batch_size": 50 }
}
`;
