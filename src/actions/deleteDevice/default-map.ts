// The default mapping of deleteDevice as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Delete Device: app uninstalls remove the device token.
target deleteDevice
title  "Delete Device"
when   event = "Application Uninstalled"

person_id       = userId
device_id       = context.device.token
enable_batching = true
batch_size      = 50

example "an app uninstall" {
  input: { "type": "track", "event": "Application Uninstalled", "userId": "u1",
           "context": { "device": { "token": "tok-1", "type": "android" } } }
  fields: { "person_id": "u1", "device_id": "tok-1", "enable_batching": true, "batch_size": 50 }
}
`;
