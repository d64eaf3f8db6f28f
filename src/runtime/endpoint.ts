// Where delivery sends and with which credentials: region → base URL, the endpoint override
// (tests, proxies), Basic auth, and a redactor that keeps the site id / API key out of every text.

import { basicAuthHeader } from '../actions/settings.js';

/** Base URLs of the Track API per region (customerio.md §1.3). */
export const REGION_BASE_URLS = {
  US: 'https://track.customer.io',
  EU: 'https://track-eu.customer.io',
} as const;

/** Credentials and destination of a delivery run. Never logged, never written to reports. */
export interface DeliveryContext {
  siteId: string;
  apiKey: string;
  /** `US` (default) or `EU`; Segment's stored values `US 🇺🇸` / `EU 🇪🇺` are accepted too. */
  region?: string;
  /** Explicit base URL (e.g. `http://127.0.0.1:4010` for tests or a proxy); wins over `region`. */
  endpoint?: string;
}

/** The base URL (no trailing slash) for a region or an explicit endpoint override. */
export function resolveBaseUrl(region: string | undefined, endpoint: string | undefined): string {
  if (endpoint !== undefined && endpoint !== '') {
    const url = new URL(endpoint); // throws TypeError on a malformed override: a configuration error
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`endpoint must be an http(s) URL, got ${url.protocol}`);
    }
    return url.href.replace(/\/+$/, '');
  }
  const r = (region ?? 'US').trim().toUpperCase();
  if (r === '' || r.startsWith('US')) return REGION_BASE_URLS.US;
  if (r.startsWith('EU')) return REGION_BASE_URLS.EU;
  throw new TypeError(`region must be "US" or "EU", got ${JSON.stringify(region)}`);
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

/** `Authorization: Basic base64(siteId:apiKey)` (customerio.md §1.2). */
export function basicAuth(siteId: string, apiKey: string): string {
  return basicAuthHeader(siteId, apiKey);
}

/** Throws when a credential is missing or empty (customerio.md §0.2): a configuration error, before any event is read. */
export function assertCredentials(ctx: DeliveryContext): void {
  if (typeof ctx.siteId !== 'string' || ctx.siteId.trim() === '') {
    throw new TypeError('delivery needs a non-empty siteId');
  }
  if (typeof ctx.apiKey !== 'string' || ctx.apiKey.trim() === '') {
    throw new TypeError('delivery needs a non-empty apiKey');
  }
}

/**
 * Returns a function that replaces every occurrence of the credentials (raw, the Basic token,
 * and `siteId:apiKey`) with `[redacted]`. Applied to every reason, error message and dead letter
 * text that might echo a request back (a proxy or server could).
 */
export function createRedactor(ctx: DeliveryContext): (text: string) => string {
  const secrets = [basicAuth(ctx.siteId, ctx.apiKey).slice('Basic '.length), `${ctx.siteId}:${ctx.apiKey}`, ctx.apiKey, ctx.siteId]
    .filter((s) => s.length >= 3) // redacting a 1–2 character id would shred every message; such ids are not secrets
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of secrets) out = out.split(s).join('[redacted]');
    return out;
  };
}
