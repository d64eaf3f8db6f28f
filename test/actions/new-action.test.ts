// A new action is one folder plus one registry line: a throwaway 16th action (test/fixtures/actions/
// sendSms: fields.ts, build.ts, default.map) registered with one `defineActions` call works end to
// end: its `.map` target, its default trigger (from its default.map's `when`), its default mapping,
// its body and its layout facts, through compileMapping and createDestination.

import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/actions/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/actions/index.js')>();
  const { readFileSync } = await import('node:fs');
  const fields = await import('../fixtures/actions/sendSms/fields.js');
  const body = await import('../fixtures/actions/sendSms/build.js');
  const map = readFileSync(new URL('../fixtures/actions/sendSms/default.map', import.meta.url), 'utf8');
  // The one registry line of the new action.
  const added = real.defineActions({ sendSms: [fields, body] }, { sendSms: map });
  const ACTIONS = Object.freeze({ ...real.ACTIONS, ...added });
  const has = (key: string): boolean => Object.hasOwn(ACTIONS, key);
  return { ...real, ACTIONS, actionKeys: Object.freeze(Object.keys(ACTIONS)), getAction: (k: string) => (has(k) ? ACTIONS[k as keyof typeof ACTIONS] : undefined), isActionKey: has };
});

const { ACTIONS, getAction } = await import('../../src/actions/index.js');
const { ALL_ACTION_PRESETS } = await import('../../src/actions/presets.js');
const { compileMapping } = await import('../../src/mapping/api.js');
const { createDestination } = await import('../../src/runtime/destination.js');

const settings = { siteId: 'site', apiKey: 'key' };
const sms = { type: 'track', event: 'SMS Requested', userId: 'u1', properties: { text: 'hello' } };

describe('a 16th action from one folder', () => {
  it('takes every fact from its folder', () => {
    const action = getAction('sendSms')!;
    expect(Object.keys(ACTIONS)).toHaveLength(16);
    expect(action.title).toBe('Send SMS');
    expect(Object.keys(action.fields)).toEqual(['person_id', 'text']);
    expect(action.defaultTrigger).toBe('type = "track" and event = "SMS Requested"'); // the .map's `when`, one line
    expect(action.defaultMapping).toContain('target sendSms\n');
    expect(action.batchable).toBe(false);
    expect(ALL_ACTION_PRESETS.map((p) => p.action)).toContain('sendSms');
  });

  it('compiles, checks fields against its schema, runs its examples', () => {
    const sub = compileMapping('target sendSms\ntext = "fixed"\n');
    expect(sub.trigger.source).toBe('type = "track" and event = "SMS Requested"');
    expect(sub.map(sms)).toEqual({ ok: true, fields: { person_id: 'u1', text: 'fixed' } });
    expect(() => compileMapping('target sendSms\nbody = 1\n')).toThrow(/body/);
    const def = compileMapping(getAction('sendSms')!.defaultMapping);
    for (const example of def.examples) expect(def.map(example.input)).toEqual({ ok: true, fields: example.fields });
  });

  it('builds its request in a destination, and only for its trigger', () => {
    const d = createDestination({ settings, presets: 'none', subscriptions: ['target sendSms\n'] });
    expect(d.process(sms)).toEqual({ matched: ['subscriptions[0]'], requests: [{ method: 'POST', url: 'https://track.customer.io/api/v1/sms', body: { to: 'u1', text: 'hello' } }], errors: [] });
    expect(d.process({ ...sms, event: 'Other' }).matched).toEqual([]);
    const detailed = d.processDetailed(sms);
    expect(detailed.items[0]?.batching).toBeNull(); // build.ts says `batchable = false`
  });

  it('gets the guard every builder gets: a too-deep value is an error, not a throw', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i++) deep = (deep.x = {}) as Record<string, unknown>;
    const result = getAction('sendSms')!.build({ person_id: 'u1', text: root }, { profile: 'strict', baseUrl: 'x', now: Date.now });
    expect(result.ok).toBe(false);
  });
});
