// Destination settings (customerio.md §0.2, §1.2–1.3), the only home of their rules: credential
// checks, regions and their Track API hosts, the endpoint override, the Basic auth header. Parsed and
// frozen once (`resolveSettings`), then passed down to the destination, delivery and the CLI.

import { basicAuthToken, createRedactor, type Redactor } from './redact.js';

/** The two Track API regions. */
export type Region = 'US' | 'EU';

/** Track API base URL per region (§1.3). */
export const TRACK_ENDPOINTS: Readonly<Record<Region, string>> = Object.freeze({
  US: 'https://track.customer.io',
  EU: 'https://track-eu.customer.io',
} as const);

/** Destination settings as given (`createDestination`'s `settings`). */
export interface Settings {
  siteId: string;
  apiKey: string;
  /** `US` (default) or `EU`, any case; Segment's stored values `US 🇺🇸` / `EU 🇪🇺` are accepted too. */
  region?: 'US' | 'EU';
}

/** Credentials and destination of a delivery run (`deliver`'s last argument). Never logged, never reported. */
export interface DeliveryContext {
  siteId: string;
  apiKey: string;
  /** `US` (default) or `EU`; Segment's stored values `US 🇺🇸` / `EU 🇪🇺` are accepted too. */
  region?: string;
  /** Explicit base URL (e.g. `http://127.0.0.1:4010` for tests or a proxy); wins over `region`. */
  endpoint?: string;
}

/** Settings after validation: credentials checked, region normalised, base URL, auth header and redactor ready. Frozen. */
export interface ResolvedSettings {
  readonly siteId: string;
  readonly apiKey: string;
  readonly region: Region;
  /** Base URL without trailing slash (the region's host, or the endpoint override). */
  readonly baseUrl: string;
  /** `Basic base64(siteId:apiKey)`. */
  readonly authorization: string;
  /** Replaces every form of these credentials in a text (see redact.ts); apply it to every output. */
  readonly redact: Redactor;
}

/** A configuration problem found before any event is read. Messages never contain credentials. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `US` or `EU` in any case, optionally followed by the region's own flag (Segment's stored `US 🇺🇸` / `EU 🇪🇺`). */
const REGION_SPELLING = /^(us|eu)(?: (\u{1F1FA}\u{1F1F8}|\u{1F1EA}\u{1F1FA}))?$/iu;
const FLAGS: Readonly<Record<Region, string>> = { US: '\u{1F1FA}\u{1F1F8}', EU: '\u{1F1EA}\u{1F1FA}' };

/**
 * Parses a region spelling: `US`/`EU` in any case, or Segment's `US 🇺🇸`/`EU 🇪🇺` (surrounding blanks
 * ignored). `undefined` for anything else, a mismatched flag included; absence is the caller's to default.
 */
export function parseRegion(value: unknown): Region | undefined {
  if (typeof value !== 'string') return undefined;
  const m = REGION_SPELLING.exec(value.trim());
  if (!m) return undefined;
  const region = (m[1] as string).toUpperCase() as Region;
  return m[2] === undefined || m[2] === FLAGS[region] ? region : undefined;
}

/** A region setting: `undefined` means US; anything `parseRegion` rejects is a ConfigError. */
export function normalizeRegion(region: unknown): Region {
  if (region === undefined) return 'US';
  const found = parseRegion(region);
  if (!found) {
    const shown = typeof region === 'string' ? JSON.stringify(region.slice(0, 40)) : region === null ? 'null' : typeof region;
    throw new ConfigError(`region must be "US" or "EU" (or Segment's "US 🇺🇸"/"EU 🇪🇺"), got ${shown}`);
  }
  return found;
}

/** Checks an endpoint override (an http or https URL without credentials) and strips trailing slashes. */
export function normalizeEndpoint(endpoint: unknown): string {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') throw new ConfigError('endpoint must be a non-empty URL');
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new ConfigError('endpoint is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`endpoint must be an http(s) URL, got ${url.protocol}`);
  if (url.username || url.password) throw new ConfigError('endpoint must not contain credentials');
  let text = url.toString();
  while (text.endsWith('/')) text = text.slice(0, -1);
  return text;
}

/** The HTTP Basic authorization header value for the Track API (§1.2). */
export function basicAuthHeader(siteId: string, apiKey: string): string {
  return `Basic ${basicAuthToken(siteId, apiKey)}`;
}

/** What is wrong with a credential's value, or `undefined` when it is usable (a non-blank string). */
export function credentialProblem(value: unknown): 'missing' | 'not a string' | 'empty' | undefined {
  if (value === undefined || value === null) return 'missing';
  if (typeof value !== 'string') return 'not a string';
  return value.trim() === '' ? 'empty' : undefined;
}

const CREDENTIAL_MESSAGES = { missing: 'is required', 'not a string': 'must be a string', empty: 'must not be empty' } as const;

function requireCredential(settings: Record<string, unknown>, key: 'siteId' | 'apiKey'): string {
  const value = Object.hasOwn(settings, key) ? settings[key] : undefined;
  const problem = credentialProblem(value);
  if (problem) throw new ConfigError(`settings.${key} ${CREDENTIAL_MESSAGES[problem]}`);
  return value as string;
}

/** Settings objects made by `resolveSettings`: passing one back returns it as it is (parsed once). */
const RESOLVED = new WeakSet<object>();

function freeze(siteId: string, apiKey: string, region: Region, baseUrl: string, redact: Redactor): ResolvedSettings {
  const settings: ResolvedSettings = Object.freeze({ siteId, apiKey, region, baseUrl, authorization: basicAuthHeader(siteId, apiKey), redact });
  RESOLVED.add(settings);
  return settings;
}

/**
 * Validates settings (§0.2): `siteId` and `apiKey` required and non-blank, region US/EU (default US),
 * an optional endpoint override. Throws ConfigError naming the setting, never its value. Settings
 * already resolved come back unchanged (or re-targeted when `endpoint` differs).
 */
export function resolveSettings(settings: unknown, endpoint?: string): ResolvedSettings {
  if (settings !== null && typeof settings === 'object' && RESOLVED.has(settings)) {
    return endpoint === undefined ? (settings as ResolvedSettings) : withEndpoint(settings as ResolvedSettings, endpoint);
  }
  if (settings === null || typeof settings !== 'object') throw new ConfigError('settings must be an object with siteId and apiKey');
  const record = settings as Record<string, unknown>;
  const siteId = requireCredential(record, 'siteId');
  const apiKey = requireCredential(record, 'apiKey');
  const region = normalizeRegion(Object.hasOwn(record, 'region') ? record.region : undefined);
  const baseUrl = endpoint === undefined ? TRACK_ENDPOINTS[region] : normalizeEndpoint(endpoint);
  return freeze(siteId, apiKey, region, baseUrl, createRedactor({ siteId, apiKey }));
}

/** The same settings sending to another base URL (an endpoint override given to `deliver`). */
export function withEndpoint(settings: ResolvedSettings, endpoint: string): ResolvedSettings {
  const baseUrl = normalizeEndpoint(endpoint);
  return baseUrl === settings.baseUrl ? settings : freeze(settings.siteId, settings.apiKey, settings.region, baseUrl, settings.redact);
}

/**
 * Re-targets a request URL produced by `process` (which carries the region host) onto `baseUrl`,
 * keeping path and query. Every request goes to the configured base, never to a host taken
 * from elsewhere, so credentials cannot leak to another origin.
 */
export function rewriteUrl(url: string, baseUrl: string): string {
  let pathAndQuery: string;
  try {
    const u = new URL(url);
    pathAndQuery = u.pathname + u.search;
  } catch {
    pathAndQuery = url.startsWith('/') ? url : `/${url}`;
  }
  return baseUrl + pathAndQuery;
}
