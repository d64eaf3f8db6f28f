// Settings (customerio.md §0.2): required credentials, regions (ours and Segment's), endpoints, the
// Basic auth header, and redaction: no error or redacted text ever contains a credential.

import { describe, expect, it } from 'vitest';
import { basicAuthHeader, ConfigError, normalizeEndpoint, normalizeRegion, parseRegion, resolveSettings, type ResolvedSettings } from '../../src/settings/settings.js';
import { createRedactor, REDACTED } from '../../src/settings/redact.js';

/** Redacts with the settings' own redactor (the one rule of src/settings/redact.ts). */
const redact = (text: string, settings: ResolvedSettings): string => settings.redact(text);

const SITE = 'site-id-1234567890';
const KEY = 'api-key-abcdef0123456789';

describe('settings', () => {
  it.each([
    [undefined, 'US'],
    ['US', 'US'],
    ['EU', 'EU'],
    ['eu', 'EU'],
    ['US 🇺🇸', 'US'],
    ['EU 🇪🇺', 'EU'],
  ])('region %j → %s', (region, expected) => {
    expect(normalizeRegion(region)).toBe(expected);
  });

  it.each([['APAC'], [3], ['EU 🇺🇸']])('region %j is a config error', (region) => {
    expect(() => normalizeRegion(region)).toThrow(ConfigError);
  });

  it('resolves hosts and the Basic auth header', () => {
    const us = resolveSettings({ siteId: SITE, apiKey: KEY });
    expect(us.baseUrl).toBe('https://track.customer.io');
    expect(us.authorization).toBe(`Basic ${Buffer.from(`${SITE}:${KEY}`).toString('base64')}`);
    expect(resolveSettings({ siteId: SITE, apiKey: KEY, region: 'EU' }).baseUrl).toBe('https://track-eu.customer.io');
    expect(resolveSettings({ siteId: SITE, apiKey: KEY }, 'http://127.0.0.1:4010/').baseUrl).toBe('http://127.0.0.1:4010');
    expect(basicAuthHeader('s', 'k')).toBe('Basic czpr');
  });

  it.each([
    [{ apiKey: KEY }, /settings.siteId is required/],
    [{ siteId: SITE }, /settings.apiKey is required/],
    [{ siteId: '  ', apiKey: KEY }, /settings.siteId must not be empty/],
    [{ siteId: SITE, apiKey: 5 }, /settings.apiKey must be a string/],
    [null, /settings must be an object/],
    [{ siteId: SITE, apiKey: KEY, region: 'mars' }, /region must be/],
  ])('rejects %j without echoing secrets', (settings, message) => {
    let error: unknown;
    try {
      resolveSettings(settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(SITE);
    expect((error as Error).message).not.toContain(KEY);
  });

  it.each([['ftp://x'], ['not a url'], ['https://user:pw@host'], ['']])('endpoint %j is a config error', (endpoint) => {
    expect(() => normalizeEndpoint(endpoint)).toThrow(ConfigError);
  });

  it('redacts credentials and the auth token', () => {
    const s = resolveSettings({ siteId: SITE, apiKey: KEY });
    const token = s.authorization.slice(6);
    const text = `failed with ${KEY} for ${SITE} (Authorization: Basic ${token})`;
    const out = redact(text, s);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(SITE);
    expect(out).not.toContain(token);
    expect(out).toContain('[redacted]');
    // One-letter test credentials do not blank the text.
    expect(redact('status ok', resolveSettings({ siteId: 's', apiKey: 'k' }))).toBe('status ok');
  });
});

describe('the one rule for regions and secrets', () => {
  it.each([
    ['us', 'US'],
    ['Eu', 'EU'],
    [' EU 🇪🇺 ', 'EU'],
    ['USA', undefined],
    ['EU 🇺🇸', undefined],
    ['', undefined],
    [null, undefined],
  ])('parseRegion(%j) = %s', (input, expected) => expect(parseRegion(input)).toBe(expected));

  it('redacts every form of the credentials and other secrets, from 3 characters, longest first', () => {
    const redact = createRedactor({ siteId: 'abc', apiKey: 'secret-key', others: ['write-key-1', undefined, 'xy'] });
    const token = Buffer.from('abc:secret-key').toString('base64');
    expect(redact(`abc:secret-key ${token} abc write-key-1 xy`)).toBe(`${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} xy`);
    expect(createRedactor({})('nothing to hide')).toBe('nothing to hide');
  });

  it('parses once: resolved settings come back as they are, or re-targeted', () => {
    const s = resolveSettings({ siteId: SITE, apiKey: KEY, region: 'EU' });
    expect(resolveSettings(s)).toBe(s);
    expect(Object.isFrozen(s)).toBe(true);
    const local = resolveSettings(s, 'http://127.0.0.1:9/');
    expect(local.baseUrl).toBe('http://127.0.0.1:9');
    expect(local.redact).toBe(s.redact);
    expect(() => resolveSettings(s, 'https://u:p@host')).toThrow(ConfigError);
  });
});
