// The server logger (src/server/log.ts) and write-key parsing (tracking-api.ts): credentials and
// write keys never reach a log line, whatever field or message they hide in.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/log.js';
import { WriteKeys, writeKeyOf } from '../../src/server/tracking-api.js';

describe('server log', () => {
  it('redacts secrets by path and by value, in every form', () => {
    const lines: string[] = [];
    const log = createLogger({
      secrets: { siteId: 'site-abc-123', apiKey: 'key-def-456', others: ['wk_secret_789'] },
      destination: new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString('utf8')); cb(); } }),
    });
    log.info({ req: { headers: { authorization: 'Basic d2tfc2VjcmV0Xzc4OTo=' } }, body: { writeKey: 'anything' } }, 'request');
    log.error({ err: { message: 'upstream said key-def-456 is wrong for site-abc-123' } }, 'failed with wk_secret_789');
    log.warn({ auth: Buffer.from('site-abc-123:key-def-456').toString('base64') }, 'echoed header');
    const all = lines.join('');
    for (const s of ['site-abc-123', 'key-def-456', 'wk_secret_789', 'd2tfc2VjcmV0Xzc4OTo=', Buffer.from('site-abc-123:key-def-456').toString('base64'), 'anything']) expect(all).not.toContain(s);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });
});

describe('write keys', () => {
  it.each([
    ['Basic user name', `Basic ${Buffer.from('wk1:').toString('base64')}`, undefined, 'wk1'],
    ['Basic without a colon', `Basic ${Buffer.from('wk1').toString('base64')}`, undefined, 'wk1'],
    ['lower-case scheme', `basic ${Buffer.from('wk1:x').toString('base64')}`, undefined, 'wk1'],
    ['body writeKey', undefined, { writeKey: 'wk2' }, 'wk2'],
    ['header wins over body', `Basic ${Buffer.from('wk1:').toString('base64')}`, { writeKey: 'wk2' }, 'wk1'],
    ['empty user falls back to the body', `Basic ${Buffer.from(':pw').toString('base64')}`, { writeKey: 'wk2' }, 'wk2'],
    ['a non-string body key', undefined, { writeKey: 7 }, undefined],
    ['a Bearer token', 'Bearer wk1', undefined, undefined],
  ])('%s', (_name, header, body, key) => expect(writeKeyOf(header, body)).toBe(key));

  it('accepts only configured keys', () => {
    const keys = new WriteKeys(['wk1', 'wk_longer_key']);
    expect([keys.accepts('wk1'), keys.accepts('wk_longer_key'), keys.accepts('wk'), keys.accepts(''), keys.accepts(undefined)]).toEqual([true, true, false, false, false]);
  });
});
