// Destination settings (customerio.md §0.2, §1.2–1.3): credential checks, regions and their Track API
// hosts, the Basic auth header, and redaction so credentials never reach an error message or a log.

import type { Settings } from './types.js';

/** Track API base URL per region (§1.3). */
export const TRACK_ENDPOINTS = Object.freeze({
  US: 'https://track.customer.io',
  EU: 'https://track-eu.customer.io',
} as const);

/** Settings after validation: credentials checked, region normalised, base URL and auth header ready. */
export interface ResolvedSettings {
  readonly siteId: string;
  readonly apiKey: string;
  readonly region: 'US' | 'EU';
  /** Base URL without trailing slash (the region's host, or the endpoint override). */
  readonly baseUrl: string;
  /** `Basic base64(siteId:apiKey)`. */
  readonly authorization: string;
}

/** A configuration problem found before any event is read. Messages never contain credentials. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Region spellings accepted: ours, lower case, and Segment's stored values with flags. */
const REGIONS: ReadonlyMap<string, 'US' | 'EU'> = new Map([
  ['US', 'US'],
  ['us', 'US'],
  ['US 🇺🇸', 'US'],
  ['EU', 'EU'],
  ['eu', 'EU'],
  ['EU 🇪🇺', 'EU'],
]);

/** Normalises a region setting; `undefined` means US. Throws ConfigError for anything else. */
export function normalizeRegion(region: unknown): 'US' | 'EU' {
  if (region === undefined || region === null || region === '') return 'US';
  const found = typeof region === 'string' ? REGIONS.get(region.trim()) : undefined;
  if (!found) {
    const shown = typeof region === 'string' ? JSON.stringify(region.slice(0, 40)) : typeof region;
    throw new ConfigError(`region must be "US" or "EU" (or Segment's "US 🇺🇸"/"EU 🇪🇺"), got ${shown}`);
  }
  return found;
}

/** Checks an endpoint override (http or https URL) and strips trailing slashes. */
export function normalizeEndpoint(endpoint: unknown): string {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') throw new ConfigError('endpoint must be a non-empty URL');
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new ConfigError('endpoint is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('endpoint must be an http(s) URL');
  if (url.username || url.password) throw new ConfigError('endpoint must not contain credentials');
  let text = url.toString();
  while (text.endsWith('/')) text = text.slice(0, -1);
  return text;
}

/** The HTTP Basic authorization header value for the Track API (§1.2). */
export function basicAuthHeader(siteId: string, apiKey: string): string {
  // UTF-8 bytes → base64 with the web APIs Node and browsers share (no Buffer: the playground runs this)
  let binary = '';
  for (const byte of new TextEncoder().encode(`${siteId}:${apiKey}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function requireCredential(settings: Record<string, unknown>, key: 'siteId' | 'apiKey'): string {
  const value = Object.hasOwn(settings, key) ? settings[key] : undefined;
  if (value === undefined || value === null) throw new ConfigError(`settings.${key} is required`);
  if (typeof value !== 'string') throw new ConfigError(`settings.${key} must be a string`);
  if (value.trim() === '') throw new ConfigError(`settings.${key} must not be empty`);
  return value;
}

/**
 * Validates settings (§0.2): `siteId` and `apiKey` required and non-empty, region US/EU (default US).
 * Throws ConfigError naming the setting, never its value.
 */
export function resolveSettings(settings: unknown, endpoint?: string): ResolvedSettings {
  if (settings === null || typeof settings !== 'object') throw new ConfigError('settings must be an object with siteId and apiKey');
  const record = settings as Record<string, unknown> & Partial<Settings>;
  const siteId = requireCredential(record, 'siteId');
  const apiKey = requireCredential(record, 'apiKey');
  const region = normalizeRegion(Object.hasOwn(record, 'region') ? record.region : undefined);
  const baseUrl = endpoint === undefined ? TRACK_ENDPOINTS[region] : normalizeEndpoint(endpoint);
  return Object.freeze({ siteId, apiKey, region, baseUrl, authorization: basicAuthHeader(siteId, apiKey) });
}

/** The marker that replaces a secret in redacted text. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not replaced: a one-letter test site id would otherwise blank every
 * occurrence of that letter. Real Customer.io site ids and API keys are 20 hex digits.
 */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of the credentials (and of the Basic auth token built from them) in
 * `text`. Plain substring replacement, no regex built from secrets.
 */
export function redact(text: string, settings: Pick<ResolvedSettings, 'siteId' | 'apiKey' | 'authorization'>): string {
  let out = text;
  const token = settings.authorization.slice('Basic '.length);
  // Longest first, so a secret that contains another is removed whole.
  const secrets = [token, settings.apiKey, settings.siteId].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}
