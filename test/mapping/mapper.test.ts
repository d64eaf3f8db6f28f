// The mapper's inline reads (reads.ts, program.ts): event paths and `??` chains read without
// closures, shared prefixes read once into slots, required fields counted at store time. Checked
// against the same expressions run through closures (`catch omit` defeats the inline path), on
// random and hostile events, with and without a polluted Object.prototype.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileMapping } from '../../src/index.js';

/** Field → expression of a trackEvent mapping that exercises every inline read shape. */
const FIELDS: Record<string, string> = {
  id: 'userId ?? traits.email ?? "anon"', // chain from root and slot, constant fallback
  anonymous_id: 'traits.email', // through the `traits` slot
  name: 'event', // one root key (short path)
  event_id: 'traits.a.b.c.d', // slot, then more than three keys
  timestamp: 'context.x ?? traits.a.b', // chain with a 2-key and a 3-key read
  data: 'traits', // the slot itself
};

/** Paths inside one-argument functions and templates: read inline, the function applied after. */
const WRAPPED: Record<string, string> = {
  id: 'segment_text(userId ?? traits.email)',
  anonymous_id: '"{{ segment_text(traits.email) }}"',
  name: 'upper("{{ event }}")',
  event_id: 'to_json(traits.a.b.c.d ?? "none")',
  data: 'traits',
};

const inline = compileMapping(`target trackEvent\n${Object.entries(FIELDS).map(([f, e]) => `${f} = ${e}`).join('\n')}\n`);
// the same values through closures: `catch` is not a read chain
const viaClosures = compileMapping(`target trackEvent\n${Object.entries(FIELDS).map(([f, e]) => `${f} = (${e}) catch omit`).join('\n')}\n`);

const wrapped = compileMapping(`target trackEvent\n${Object.entries(WRAPPED).map(([f, e]) => `${f} = ${e}`).join('\n')}\n`);
const wrappedViaClosures = compileMapping(`target trackEvent\n${Object.entries(WRAPPED).map(([f, e]) => `${f} = (${e}) catch omit`).join('\n')}\n`);

const POLLUTED = ['userId', 'email', 'event', 'traits', 'x', 'b', 'd'];

function withPollution<T>(run: () => T): T {
  const proto = Object.prototype as Record<string, unknown>;
  for (const k of POLLUTED) proto[k] = `polluted ${k}`;
  try {
    return run();
  } finally {
    for (const k of POLLUTED) delete proto[k];
  }
}

/**
 * A map result with the expression quoted in "has no value" messages removed: the two mappings
 * compared here differ in their text (`(e) catch omit`), not in what they compute.
 */
function unquoted(result: ReturnType<typeof inline.map>): unknown {
  if (result.ok) return result;
  return { ok: false, errors: result.errors.map((e) => ({ ...e, message: e.message.replace(/ \(from `.*`\)$/, '') })) };
}

class Instance {
  userId = 'from a class';
  event = 'from a class';
}

const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom('', 'a@b.c', 'x'), fc.integer(), fc.boolean(), fc.constant(null), tie('list'), tie('object')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('userId', 'event', 'traits', 'email', 'a', 'b', 'c', 'd', 'context', 'x', '__proto__', 'constructor'), tie('value'), { maxKeys: 6 }),
}));

describe('inline reads give the closures’ answers', () => {
  test.each([false, true])('random events (Object.prototype polluted: %s)', (polluted) => {
    fc.assert(
      fc.property(json.object, (raw) => {
        const event = JSON.parse(JSON.stringify(raw)) as unknown;
        const run = () => [inline.map(event), viaClosures.map(event), wrapped.map(event), wrappedViaClosures.map(event)].map(unquoted);
        const [a, b, c, d] = polluted ? withPollution(run) : run();
        expect(a).toEqual(b);
        expect(c).toEqual(d);
      }),
      { numRuns: 400 },
    );
  });

  const cases: Array<[string, unknown]> = [
    ['null-prototype event', Object.assign(Object.create(null) as object, { event: 'e', userId: 'u', traits: { email: 'a@b.c' } })],
    ['class instance event', new Instance()],
    ['class instance as traits', { event: 'e', traits: new Instance() }],
    ['array event', [{ event: 'e' }]],
    ['string traits', { event: 'e', traits: 'text' }],
    ['list traits', { event: 'e', traits: [{ email: 'a@b.c' }] }],
    ['__proto__ key', JSON.parse('{"event":"e","__proto__":{"userId":"no"},"traits":{"__proto__":{"email":"no"},"email":null}}')],
    ['null userId, missing email', { event: 'e', userId: null, traits: {} }],
    ['number event', { event: 42, traits: { a: { b: { c: { d: 'deep' } } } } }],
    ['object event', { event: { not: 'text' } }],
    ['deep chain', { event: 'e', context: { x: null }, traits: { a: { b: 'ab', c: 1 } } }],
  ];
  test.each(cases)('%s', (_name, event) => {
    expect(unquoted(inline.map(event))).toEqual(unquoted(viaClosures.map(event)));
    expect(unquoted(withPollution(() => inline.map(event)))).toEqual(unquoted(withPollution(() => viaClosures.map(event))));
    expect(unquoted(wrapped.map(event))).toEqual(unquoted(wrappedViaClosures.map(event)));
    expect(unquoted(withPollution(() => wrapped.map(event)))).toEqual(unquoted(withPollution(() => wrappedViaClosures.map(event))));
  });

  test('functions around inline reads', () => {
    expect(wrapped.map({ event: 'e', userId: 7, traits: { email: ['a@b.c'], a: { b: { c: { d: [1] } } } } })).toEqual({
      ok: true,
      fields: expect.objectContaining({ id: '7', anonymous_id: 'a@b.c', name: 'E', event_id: '[1]' }),
    });
    expect(wrapped.map({ traits: {} })).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'name' })] });
    expect(wrapped.map({ event: 'e', traits: {} })).toEqual({ ok: true, fields: expect.objectContaining({ name: 'E', event_id: '"none"', data: {} }) });
  });

  test('values read inline are the event’s own', () => {
    const r = withPollution(() => inline.map({ event: 'e', traits: {} }));
    expect(r).toEqual({ ok: true, fields: { name: 'e', id: 'anon', data: {}, convert_timestamp: true, enable_batching: true, batch_size: 50 } });
    const s = inline.map({ event: 'e', userId: 7, context: { x: 'ts' }, traits: { email: 'a@b.c', a: { b: { c: { d: 'deep' } } } } });
    expect(s).toEqual({ ok: true, fields: expect.objectContaining({ id: '7', anonymous_id: 'a@b.c', name: 'e', event_id: 'deep', timestamp: 'ts', data: expect.any(Object) }) });
    // without context.x the chain reaches traits.a.b, an object: not a valid timestamp
    const t = inline.map({ event: 'e', traits: { a: { b: { c: 1 } } } });
    expect(t).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'timestamp', message: expect.stringMatching(/must be a string/) })] });

  });
});

describe('failures and required fields', () => {
  test('a throwing getter under a shared prefix is a field error, not a throw', () => {
    const event = { event: 'e' } as Record<string, unknown>;
    Object.defineProperty(event, 'traits', { enumerable: true, get: () => { throw new Error('boom'); } });
    const r = inline.map(event);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
  });

  test('a throwing proxy event maps to field errors', () => {
    const proxy = new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } });
    expect(inline.map(proxy).ok).toBe(false);
  });

  const required: Array<[string, string, unknown, boolean]> = [
    ['one writer', 'name = event', { event: 'e' }, true],
    ['one writer, blank', 'name = event', { event: '' }, false],
    ['one writer, null', 'name = event', { event: null }, false],
    ['constant', 'name = "fixed"', {}, true],
    ['guarded writers, first applies', 'name = "big" when properties.n > 1\nname = event when properties.n <= 1', { properties: { n: 5 } }, true],
    ['guarded writers, second blank', 'name = "big" when properties.n > 1\nname = event when properties.n <= 1', { event: '', properties: { n: 0 } }, false],
    ['guarded writers, none applies', 'name = "big" when properties.n > 1\nname = event when properties.n <= 1', { event: 'e' }, false],
    ['number coerced to text', 'name = properties.n', { properties: { n: 3 } }, true],
    ['object is not text', 'name = properties', { properties: { n: 3 } }, false],
  ];
  test.each(required)('required `name`: %s', (_title, body, event, ok) => {
    const r = compileMapping(`target trackEvent\n${body}\n`).map(event);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['name']);
  });

  // required-field counting next to later typing and function errors: the answers of a full
  // validation (ajv's messages when a value has the wrong type; function errors win)
  const rejected: Array<[string, unknown, string[]]> = [
    ['later values typed: only the missing field', { properties: { k: 1 } }, ['name']],
    ['a later value of the wrong type: ajv reports both', { properties: 'text' }, ['data', 'name']],
    ['a later function error wins', { properties: { j: '{bad' } }, ['id']],
    ['accepted', { event: 'e', properties: { j: '1' } }, []],
  ];
  test.each(rejected)('rejected: %s', (_title, event, fields) => {
    const sub = compileMapping('target trackEvent\nname = event\ndata = properties\nid = parse_json(properties.j) ?? "none"\nevent_id = "fixed"\n');
    const r = sub.map(event);
    expect(r.ok).toBe(fields.length === 0);
    if (!r.ok) expect(r.errors.map((e) => e.field).sort()).toEqual(fields);
  });

  test.each([
    ['12', '12'],
    ['true', 'true'],
    ['"x"', 'x'],
    ['1.5', '1.5'],
  ])('a constant %s in a string field is stored as its text %j', (constant, text) => {
    // (constants of the wrong type are compile errors: MAP103/MAP108)
    expect(compileMapping(`target trackEvent\nname = ${constant}\n`).map({})).toEqual({ ok: true, fields: expect.objectContaining({ name: text }) });
    expect(compileMapping(`target trackEvent\nname = event ?? ${constant}\n`).map({})).toEqual({ ok: true, fields: expect.objectContaining({ name: text }) });
  });

  test('fields are plain objects in mapping order', () => {
    const r = inline.map({ event: 'e', userId: 'u', traits: { email: 'a@b.c' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.fields)).toBe(Object.prototype);
    expect(r.fields.constructor).toBe(Object);
    // the action's default statements come first, then the file's, each in written order
    expect(Object.keys(r.fields)).toEqual(['convert_timestamp', 'enable_batching', 'batch_size', 'id', 'anonymous_id', 'name', 'data']);
  });
});
