// Classifies how the strict profile's outcome for an event differs from the segment profile's:
// each difference maps to one of the intended fixes of customerio.md §0.5 / §3.17, or to nothing
// (an unintended difference, which the parity test reports).

/** The intended strict-profile fixes, by §3.17 item. */
export const STRICT_FIXES = {
  noIdentifier: '§3.17 item 1: no resolvable identifier → error instead of a body without identifiers',
  isoNamesIds: '§3.17 item 2: timestamps converted only in attribute bags, never in names or ids',
  relationshipDates: '§3.17 item 2: relationship_attributes are an attribute bag, so their ISO dates are converted',
  createdAt: '§3.17 item 3: created_at always integer seconds',
  rootTimestamp: '§3.17 items 3–4: root timestamp / last_used as integer seconds (epoch strings, ms, zone-less UTC; unparseable dropped)',
  device: '§3.17 item 9: device platform lower-cased (ios/android only) and attribute values as strings',
  byteLimits: '§3.17 item 10: byte limits enforced',
} as const;

export type StrictFix = keyof typeof STRICT_FIXES;

type Json = unknown;

/** Paths (dotted) where two JSON values differ. */
export function diffPaths(a: Json, b: Json, path = ''): string[] {
  if (a === b) return [];
  const isObj = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object';
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) out.push(...diffPaths(a[k], b[k], path ? `${path}.${k}` : k));
  return out;
}

/** The fix a differing body path belongs to, or undefined when no intended fix explains it. */
export function fixForPath(path: string): StrictFix | undefined {
  if (path === 'timestamp' || path === 'device.last_used') return 'rootTimestamp';
  if (path.startsWith('device.attributes') || path === 'device.platform') return 'device';
  if (path === 'created_at' || path === 'attributes.created_at') return 'createdAt';
  if (/^cio_relationships\.\d+\.relationship_attributes/.test(path)) return 'relationshipDates';
  if (path === 'name' || path === 'id' || path.startsWith('identifiers') || path.startsWith('cio_relationships')) return 'isoNamesIds';
  return undefined;
}

/** The fix a strict-only error belongs to, from its field and message. */
export function fixForError(error: { field?: string; message: string }): StrictFix | undefined {
  if (/no identifier/.test(error.message)) return 'noIdentifier';
  if (/bytes/.test(error.message)) return 'byteLimits';
  if (error.field === 'platform') return 'device';
  return undefined;
}
