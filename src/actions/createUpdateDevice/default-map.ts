// The default mapping of createUpdateDevice as .map source text; identical to default.map next to it
// (a test keeps them equal). Embedded as a string so dist/ needs no copied assets.

/** Segment's default mapping of this action, in the .map language. */
export const defaultMap: string = `# Segment's default mapping for Create or Update Device: app installs register the device token.
target createUpdateDevice
title  "Create or Update Device"
when   type = "track" and event = "Application Installed"

person_id         = userId
device_id         = context.device.token
app_version       = context.app.version
platform          = context.device.type
last_used         = timestamp
attributes        = properties
convert_timestamp = true
enable_batching   = true
batch_size        = 50

example "an app install" {
  input: { "type": "track", "event": "Application Installed", "userId": "u1", "timestamp": "2024-05-01T12:00:00.000Z",
           "context": { "device": { "token": "tok-1", "type": "ios" }, "app": { "version": "1.2.3" } },
           "properties": { "foo": "bar" } }
  fields: { "person_id": "u1", "device_id": "tok-1", "app_version": "1.2.3", "platform": "ios",
            "last_used": "2024-05-01T12:00:00.000Z", "attributes": { "foo": "bar" },
            "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}
`;
