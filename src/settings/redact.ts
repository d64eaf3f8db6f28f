// The one redactor: which strings are secrets and what replaces them, for every text that leaves
// the process (errors, dead letters, delivery reports, CLI messages, server logs).

/** The text that replaces a secret. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are left alone: redacting a one- or two-letter test id would shred every
 * message and protects nothing. Real Customer.io site ids and API keys are 20 hex digits.
 */
export const MIN_SECRET_LENGTH = 3;

/** Replaces every secret in a text. */
export type Redactor = (text: string) => string;

/** What to keep out of every output: the Track API credentials and any other secret (write keys, tokens). */
export interface Secrets {
  siteId?: string | undefined;
  apiKey?: string | undefined;
  /** More secrets, e.g. Segment write keys of a server; `undefined` entries are ignored. */
  others?: Iterable<string | undefined>;
}

/**
 * The Basic auth token of a site id and API key: base64 of `siteId:apiKey` in UTF-8, with the web
 * APIs Node and browsers share (no Buffer: the browser playground builds destinations too).
 */
export function basicAuthToken(siteId: string, apiKey: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${siteId}:${apiKey}`)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The secrets of `secrets` in every form they may be echoed in: each credential, `siteId:apiKey`, and
 * the Basic auth token built from them; longest first, so a secret that contains another goes whole.
 */
function secretForms(secrets: Secrets): string[] {
  const list: string[] = [];
  const { siteId, apiKey } = secrets;
  if (typeof siteId === 'string' && typeof apiKey === 'string') {
    list.push(basicAuthToken(siteId, apiKey), `${siteId}:${apiKey}`);
  }
  if (typeof siteId === 'string') list.push(siteId);
  if (typeof apiKey === 'string') list.push(apiKey);
  for (const other of secrets.others ?? []) if (typeof other === 'string') list.push(other);
  return [...new Set(list.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

/**
 * Returns the redactor for `secrets`: every occurrence of each secret form becomes `[redacted]`.
 * Plain substring replacement (no regex built from secrets).
 */
export function createRedactor(secrets: Secrets): Redactor {
  const list = secretForms(secrets);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}
