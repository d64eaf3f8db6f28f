// A hint from ingestion to a queue backend: the event's JSON text, already produced (for the size
// check), so the backend need not serialize it again. Symbol-keyed, so it is never serialized and
// never visible to JSON-based code; a backend that ignores it just calls JSON.stringify.

export const SERIALIZED: unique symbol = Symbol('cio-actions.serialized');

export interface Serialized {
  json: string;
  /** UTF-8 bytes of `json`. */
  bytes: number;
}

/** Attaches the JSON text of `event` (the caller must not change the event afterwards). */
export function attachSerialized(event: object, json: string, bytes: number): void {
  Object.defineProperty(event, SERIALIZED, { value: { json, bytes } satisfies Serialized, enumerable: false });
}

/** The event's JSON text and byte size: the attached one, or freshly serialized. */
export function serialized(event: object): Serialized {
  const hint = (event as { [SERIALIZED]?: Serialized })[SERIALIZED];
  if (hint !== undefined) return hint;
  const json = JSON.stringify(event);
  return { json, bytes: Buffer.byteLength(json) };
}
