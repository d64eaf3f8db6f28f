// The straight-code bound of the whole-event row (issue 15): Segment's Track Event preset, segment
// profile, written out by hand as the least work that gives the same request: its trigger, its six
// reads, the field typing it needs, the body layout, and the same leaf rules our pipeline uses
// (timestamp walk and depth check, root timestamp, identifier resolution, generated validator).
// No generality: one preset, one profile. A generic pipeline works toward this speed; what it
// costs over it is the price of being generic. test/bench/straight-track-event.test.ts checks that
// it gives `process`'s request for every Track Event event of the parity corpus.
import { isAnonymous, resolveIdentifiers } from '../src/actions/identifiers.js';
import { validateEntity } from '../src/actions/schemas.js';
import { convertTimestampsChecked } from '../src/actions/timestamps.js';
import { isRecord } from '../src/evaluator/value.js';
import { convertIsoValue, segmentRootTimestamp } from '../src/timestamps.js';
import type { Destination } from '../src/index.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** The events the preset's trigger leaves out (`type = "track" and event != …`). */
const EXCLUDED: ReadonlySet<unknown> = new Set([
  'Application Installed',
  'Application Opened',
  'Application Uninstalled',
  'Device Created or Updated',
  'Device Deleted',
  'Relationship Deleted',
  'User Deleted',
  'User Suppressed',
  'User Unsuppressed',
  'Object Deleted',
  'Report Delivery Event',
  'Report Content Event',
]);

/** A mapped string field: own key, "" and null dropped, numbers and booleans as text; `false` for any other type (the field check fails). */
function stringField(event: Record<string, unknown>, key: string): unknown {
  if (!hasOwn.call(event, key)) return undefined;
  const v = event[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? '' + v : false;
}

/** The Track Event request of `event`, or undefined when the preset does not apply or the event needs a path this bound leaves out. */
export function straightTrackEvent(event: unknown, baseUrl: string): { method: 'POST'; url: string; body: Record<string, unknown> } | undefined {
  if (!isRecord(event) || !hasOwn.call(event, 'type') || event.type !== 'track') return undefined;
  const eventName = hasOwn.call(event, 'event') ? event.event : undefined;
  if (EXCLUDED.has(eventName)) return undefined;
  const name = stringField(event, 'event');
  const personId = stringField(event, 'userId');
  const anonymousId = stringField(event, 'anonymousId');
  const eventId = stringField(event, 'messageId');
  const timestamp = stringField(event, 'timestamp');
  const properties = hasOwn.call(event, 'properties') ? event.properties : undefined;
  if (name === undefined || name === false || personId === false || anonymousId === false || eventId === false || timestamp === false) return undefined;
  if (properties !== undefined && properties !== null && !isRecord(properties)) return undefined;
  const body: Record<string, unknown> = { type: 'person', action: 'event', name: convertIsoValue(name) };
  if (eventId !== undefined) body.id = convertIsoValue(eventId);
  // key order as Segment's buildPayload leaves it: the mapped fields, then the root timestamp, then a new attribute bag
  let attributes = isRecord(properties) ? convertTimestampsChecked(properties, 'data') : undefined;
  if (attributes !== undefined) body.attributes = attributes;
  if (timestamp !== undefined) body.timestamp = segmentRootTimestamp(timestamp);
  const identifiers = resolveIdentifiers({ person_id: personId, anonymous_id: anonymousId });
  if (anonymousId !== undefined) {
    if (!isAnonymous(identifiers)) {
      if (attributes === undefined || attributes === properties) attributes = { ...attributes }; // the event's own object is never written to
      attributes.anonymous_id = anonymousId;
    } else if (attributes === undefined) attributes = {};
    else if (hasOwn.call(attributes, 'anonymous_id')) return undefined; // Segment deletes it again: left out here
    body.attributes = attributes;
  }
  if (identifiers !== undefined) body.identifiers = identifiers;
  if (validateEntity('segment', body).length > 0) return undefined;
  return { method: 'POST', url: `${baseUrl}/api/v2/entity`, body };
}

/** The events the bound is for: those `destination` serves with one Track Event request and no error. */
export function servedByTrackEventAlone(destination: Destination, events: readonly unknown[]): unknown[] {
  return events.filter((e) => {
    const r = destination.processDetailed(e);
    return r.errors.length === 0 && r.items.length === 1 && r.items[0]!.action === 'trackEvent';
  });
}
