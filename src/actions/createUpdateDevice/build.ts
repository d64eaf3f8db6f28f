// Create or Update Device → `person`/`add_device` (customerio.md §3.6). Segment sends platform and
// attributes verbatim; strict lower-cases the platform (ios/android only), sends `last_used` as
// integer seconds and device attribute values as strings (§3.17 items 3, 9).

import { isRecord } from '../../evaluator/value.js';
import { buildEntity, convertBag, strictSeconds } from '../payload.js';
import type { BuildContext, BuildResult } from '../types.js';

const PLATFORMS = new Set(['ios', 'android']);

/** Fields that go into `device` rather than the body. */
const DEVICE_FIELDS = { device_id: null, platform: null, last_used: null, attributes: null, app_version: null };

/** A device attribute value as the string Customer.io stores; `undefined` for null/undefined. */
function deviceString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** Strict device attributes: ISO dates converted (when allowed), then every value a string. */
function strictAttributes(attributes: unknown, convert: boolean, warnings: string[]): Record<string, unknown> {
  const source = convert ? convertBag(attributes) : attributes;
  const out: Record<string, unknown> = {};
  if (!isRecord(source)) return out;
  for (const key of Object.keys(source)) {
    const text = deviceString(source[key]);
    if (text === undefined) warnings.push(`device attribute ${key} dropped: null has no string form`);
    else Object.defineProperty(out, key, { value: text, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Builds the add_device request for either profile. Never throws; never mutates `fields`. */
export function build(fields: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult {
  const { device_id, platform, last_used, attributes, app_version } = fields;
  const warnings: string[] = [];
  const deviceAttributes: Record<string, unknown> = isRecord(attributes) ? { ...attributes } : {};
  if (app_version !== undefined) deviceAttributes.app_version = app_version;
  if (ctx.profile === 'segment') {
    const device: Record<string, unknown> = { token: device_id, platform, attributes: deviceAttributes };
    if (last_used !== undefined) device.last_used = last_used;
    return buildEntity('person', 'add_device', fields, { renames: DEVICE_FIELDS, extra: { device } }, ctx, { identifierField: 'person_id' });
  }
  const normalized = typeof platform === 'string' ? platform.trim().toLowerCase() : platform;
  if (typeof normalized !== 'string' || !PLATFORMS.has(normalized)) {
    return { ok: false, errors: [{ field: 'platform', message: `platform must be "ios" or "android", got ${JSON.stringify(platform) ?? 'nothing'}` }] };
  }
  const device: Record<string, unknown> = {
    token: device_id,
    platform: normalized,
    attributes: strictAttributes(deviceAttributes, fields.convert_timestamp !== false, warnings),
  };
  if (last_used !== undefined && last_used !== null && last_used !== '') {
    const seconds = strictSeconds(last_used, 'last_used', warnings);
    if (seconds !== undefined) device.last_used = seconds;
  }
  return buildEntity('person', 'add_device', fields, { renames: DEVICE_FIELDS, extra: { device } }, ctx, { identifierField: 'person_id' }, warnings);
}
