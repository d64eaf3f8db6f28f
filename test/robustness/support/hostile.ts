// The named hostile events of issue 7: non-objects, prototype keys at every level, 10,000-deep
// nesting, multi-megabyte strings, huge key counts, lone surrogates, numbers beyond 2^53, dates
// far outside range. Built lazily (some are megabytes) and parsed from JSON where keys matter.

import { deep, jsonObject, pollutionEvents } from './events.js';

const base = (over: Record<string, unknown>): Record<string, unknown> =>
  jsonObject(Object.entries({ type: 'track', event: 'Order Completed', userId: 'u1', messageId: 'm1', timestamp: '2026-01-01T00:00:00Z', ...over }));
const identify = (over: Record<string, unknown>): Record<string, unknown> =>
  jsonObject(Object.entries({ type: 'identify', userId: 'u1', messageId: 'm2', traits: { email: 'a@b.c' }, ...over }));

const MB4 = 4 * 1024 * 1024;

/** [name, build] pairs; `build` makes a fresh event each call. */
export const HOSTILE_EVENTS: ReadonlyArray<readonly [string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['number', () => 42],
  ['NaN', () => NaN],
  ['string', () => '{"type":"track"}'],
  ['boolean', () => true],
  ['array', () => [{ type: 'track', event: 'x', userId: 'u' }]],
  ['function', () => () => ({ type: 'track' })],
  ['symbol', () => Symbol('x')],
  ['bigint', () => 10n],
  ['Date', () => new Date(0)],
  ['Map', () => new Map([['type', 'track']])],
  ['class instance', () => new (class Event { type = 'track'; event = 'x'; userId = 'u'; })()],
  ['object with null prototype', () => Object.assign(Object.create(null) as object, { type: 'track', event: 'x', userId: 'u' })],
  ['empty object', () => ({})],
  ...pollutionEvents().map((_, i) => [`prototype keys #${i}`, () => pollutionEvents()[i]] as const),
  ['10,000-deep properties', () => base({ properties: deep(10_000) })],
  ['10,000-deep list in properties', () => base({ properties: { items: deep(10_000, 'array') } })],
  ['10,000-deep traits', () => identify({ traits: jsonObject([['email', 'a@b.c'], ['nested', deep(10_000)]]) })],
  ['10,000-deep context', () => base({ context: deep(10_000) })],
  ['100,000-deep properties', () => base({ properties: deep(100_000) })],
  ['4 MB event name', () => base({ event: 'E'.repeat(MB4) })],
  ['4 MB userId', () => base({ userId: 'u'.repeat(MB4) })],
  ['4 MB trait', () => identify({ traits: { email: 'a@b.c', bio: 'x'.repeat(MB4) } })],
  ['4 MB property with templates and globs', () => base({ properties: { name: '{{a}}*?['.repeat(MB4 / 8), pattern: '*a?b*', blob: '['.repeat(100_000) } })],
  ['100,000 trait keys', () => identify({ traits: jsonObject([['email', 'a@b.c'], ...Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i] as const)]) })],
  ['100,000 property keys', () => base({ properties: jsonObject(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, `v${i}`] as const)) })],
  ['100,000 list items', () => base({ properties: { items: Array.from({ length: 100_000 }, (_, i) => ({ sku: `s${i}` })) } })],
  ['lone surrogates everywhere', () => JSON.parse('{"type":"identify","userId":"\\ud800","traits":{"email":"a\\udc00@b.c","\\udfff":"\\ud83d","name":"x\\ud800y"},"context":{"traits":{"\\ud800":1}},"messageId":"\\udc00"}')],
  ['lone surrogates in a track', () => JSON.parse('{"type":"track","event":"\\ud800Order","userId":"u\\udfff","properties":{"name":"\\ud800","items":[{"sku":"\\udc00"}],"\\ud800":"\\udfff"}}')],
  ['numbers beyond 2^53', () => base({ userId: 2 ** 53 + 2, properties: { revenue: 1e308, qty: -(2 ** 60), tiny: 5e-324, price: '9007199254740993' } })],
  ['identify with numeric id beyond 2^53', () => identify({ userId: 18446744073709551615, traits: { email: 'a@b.c', created_at: 1e21 } })],
  ['dates far outside range', () => base({ timestamp: '+275760-09-13T00:00:01Z', properties: { date: '-271821-04-19T00:00:00Z', day: '99/99/9999' } })],
  ['numeric dates far outside range', () => identify({ timestamp: 8.64e15 + 1, traits: { email: 'a@b.c', created_at: -8.64e15 - 1 } })],
  ['year 0 and year 999999', () => identify({ timestamp: '0000-01-01T00:00:00Z', traits: { email: 'a@b.c', created_at: '+999999-12-31T23:59:59Z' } })],
  ['timestamps of the wrong type', () => base({ timestamp: { $date: 1 }, sentAt: [], receivedAt: true, originalTimestamp: null })],
  ['blob that parses to a prototype bomb', () => base({ properties: { blob: '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}' } })],
  ['device and object shapes', () => jsonObject([['type', 'track'], ['event', 'Application Installed'], ['userId', 'u'], ['context', JSON.parse('{"device":{"token":{"__proto__":1},"type":"__proto__"}}')]])],
  ['group with hostile object ids', () => JSON.parse('{"type":"group","groupId":{"__proto__":"x"},"userId":"u1","traits":{"__proto__":{"polluted":1},"object_type_id":"constructor"}}')],
  ['delivery event with hostile ids', () => JSON.parse('{"type":"track","event":"Report Delivery Event","properties":{"deliveryId":"__proto__","metric":"constructor","href":"javascript:alert(1)"}}')],
  ['getter that throws', () => Object.defineProperty({ type: 'track', event: 'x', userId: 'u' }, 'properties', { enumerable: true, get: () => { throw new Error('getter'); } })],
];
