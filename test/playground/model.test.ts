// The playground's model (playground/model.ts) under Node: what each pane shows comes from the
// library, the request is what a destination builds, and the URL state round-trips.
import { describe, expect, it } from 'vitest';
import { createDestination } from '../../src/index.js';
import { PLAYGROUND_SETTINGS, parseEvent, viewMapping, viewSegment } from '../../playground/model.js';
import { decodeState, encodeState, type PlaygroundState } from '../../playground/state.js';

const EVENT = JSON.stringify({ type: 'track', event: 'Order Completed', userId: 'u_1', messageId: 'm-1', properties: { total: 10, plan: 'pro' } });
const MAP = 'target trackEvent\nwhen type = "track"\nname = snakecase(event)\ndata = properties\n';

describe('viewMapping', () => {
  it('a good mapping: trigger steps, fields marked mapping/default, and the destination’s request', () => {
    const v = viewMapping(EVENT, MAP, 'strict');
    expect(v.diagnostics).toEqual([]);
    expect(v.trigger?.matches).toBe(true);
    expect(v.trigger?.steps.map((s) => s.text)).toEqual(['type = "track"', 'type']);
    const byField = Object.fromEntries(v.fields.map((f) => [f.field, f]));
    expect(byField.name).toMatchObject({ origin: 'mapping', line: 3, set: true, value: 'Order_Completed' });
    expect(byField.event_id).toMatchObject({ origin: 'default', set: true, value: 'm-1' });
    const expected = createDestination({ settings: PLAYGROUND_SETTINGS, presets: 'none', subscriptions: [MAP] }).process(JSON.parse(EVENT));
    expect(v.request).toEqual({ kind: 'request', requests: expected.requests });
  });

  it('says why there is no request: errors (with the first line:col), a false trigger, field errors, a bad event', () => {
    const bad = viewMapping(EVENT, MAP.replace('data =', 'dta ='), 'strict');
    expect(bad.request).toMatchObject({ kind: 'none', reason: 'no request: the mapping has 1 error; the first at line 4:1: `dta` is not a field of trackEvent' });
    expect(bad.diagnostics[0]).toMatchObject({ code: 'MAP101', replacement: 'data' });
    expect(viewMapping(JSON.stringify({ type: 'page' }), MAP, 'strict').request).toMatchObject({ kind: 'none', reason: 'no request: the trigger is false for this event' });
    const fieldError = viewMapping(EVENT, 'target trackEvent\nwhen type = "track"\nname = fail("no name")\n', 'strict');
    expect(fieldError.request).toMatchObject({ kind: 'none', reason: 'no request: 1 field error for this event' });
    expect(viewMapping('{"type":', MAP, 'strict')).toMatchObject({ eventError: expect.stringContaining('not valid JSON') });
    expect(parseEvent('[1]')).toEqual({ ok: false, message: 'the event must be a JSON object (`{ … }`)' });
    expect(parseEvent('{"type":"track"}\n{"type":"page"}\n')).toEqual({ ok: false, message: 'the event pane holds one event, and this is 2 lines of NDJSON: keep one line' });
  });

  it('a field the file assigns into replaces the default row of that field', () => {
    const v = viewMapping(JSON.stringify({ type: 'identify', userId: 'u', traits: { plan: 'pro' } }), 'target createUpdatePerson\nid = userId\ncustom_attributes.plan = traits.plan\n', 'strict');
    expect(v.fields.filter((f) => f.field.startsWith('custom_attributes')).map((f) => [f.field, f.origin, f.value])).toEqual([['custom_attributes.plan', 'mapping', 'pro']]);
  });
});

describe('viewSegment', () => {
  it('imports the JSON to .map text and gives the same request both ways', () => {
    const json = JSON.stringify({ name: 'Track', partnerAction: 'trackEvent', subscribe: 'type = "track"', mapping: { name: { '@path': '$.event' }, id: { '@path': '$.userId' } } });
    const v = viewSegment(EVENT, json, 'segment');
    expect(v.mapSource).toContain('target trackEvent');
    expect(v.imported).toEqual(v.printed);
    expect(v.imported?.kind).toBe('request');
  });

  it('names what is wrong with the JSON', () => {
    expect(viewSegment(EVENT, '{', 'strict').error).toMatch(/^the subscription is not valid JSON/);
    expect(viewSegment(EVENT, '[{}, {}]', 'strict').error).toMatch(/^this is a list of 2 subscriptions: paste one of them/);
    expect(viewSegment(EVENT, JSON.stringify({ partnerAction: 'trackEvnt', mapping: {} }), 'strict').error).toContain('is not a Customer.io action');
  });
});

describe('URL state', () => {
  it('round-trips any text, and ignores fragments that are not its own', () => {
    const state: PlaygroundState = { tab: 'segment', profile: 'segment', event: '{"a":"é😀"}', map: MAP, segment: '[]' };
    expect(decodeState(`#${encodeState(state)}`)).toEqual(state);
    expect(decodeState('#s=%%%')).toBeUndefined();
    expect(decodeState('#other')).toBeUndefined();
    expect(decodeState(`#s=${Buffer.from('{"v":1}').toString('base64url')}`)).toBeUndefined();
    expect(decodeState(`#s=${Buffer.from('{"v":1,"event":"{}","map":"x","__proto__":{"polluted":1}}').toString('base64url')}`)).toEqual({ tab: 'map', profile: 'strict', event: '{}', map: 'x', segment: '' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
