// The default mapping of mergePeople as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Merge People: alias calls merge previousId into userId.
target mergePeople
title  "Merge People"
when   type = "alias"

primary         = userId
secondary       = previousId
enable_batching = true
batch_size      = 50

example "an alias" {
  input: { "type": "alias", "userId": "u1", "previousId": "anon-1" }
  fields: { "primary": "u1", "secondary": "anon-1", "enable_batching": true, "batch_size": 50 }
}
`;
