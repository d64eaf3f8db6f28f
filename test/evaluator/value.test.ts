// Value policy: path lookup (own properties, lists only by index/wildcard), FQL equality, kinds.
import { describe, expect, it } from 'vitest';
import type { PathSegment } from '../../src/parser/ast.js';
import { compilePath, fqlEquals, fqlTypeName, isRecord, kindOf, MAX_EQUALITY_DEPTH } from '../../src/evaluator/value.js';
import { S } from './ast-builders.js';

const seg = (p: string | number | '*'): PathSegment =>
  typeof p === 'number' ? { kind: 'index', index: p, span: S } : p === '*' ? { kind: 'wildcard', span: S } : { kind: 'key', name: p, span: S };
const get = (event: unknown, ...parts: Array<string | number | '*'>) => compilePath(parts.map(seg))(event);
/** A getter for a plain key list (value.ts's compileKeyPath, used by nothing but this test, is gone). */
const compileKeyPath = (keys: readonly string[]) => compilePath(keys.map(seg));

const event = JSON.parse(
  '{"type":"track","a":{"b":{"c":{"d":4}}},"n":null,"zero":0,"s":"str","items":[{"sku":"x"},{"sku":null},{},{"sku":"z"}],' +
    '"nested":[{"tags":["a","b"]},{"tags":[]},{"tags":["c"]}],"__proto__":{"polluted":true},"constructor":"own"}',
) as unknown;

describe('path lookup', () => {
  it.each<[Array<string | number | '*'>, unknown]>([
    [['type'], 'track'],
    [['a', 'b'], { c: { d: 4 } }],
    [['a', 'b', 'c'], { d: 4 }],
    [['a', 'b', 'c', 'd'], 4],
    [['a', 'x', 'c', 'd'], undefined],
    [['n'], null],
    [['n', 'x'], undefined],
    [['zero', 'value'], undefined], // a key on a number is missing (not Segment's falsy pass-through)
    [['s', 'length'], undefined], // no prototype properties of strings
    [['items', '0'], undefined], // key segments never index lists
    [['items', 'length'], undefined],
    [['items', 0, 'sku'], 'x'],
    [['items', -1, 'sku'], 'z'],
    [['items', -4, 'sku'], 'x'],
    [['items', 4], undefined],
    [['items', -5], undefined],
    [['a', 0], undefined], // index on an object
    [['items', '*', 'sku'], ['x', null, 'z']], // missing skipped, null kept
    [['nested', '*', 'tags', '*'], ['a', 'b', 'c']], // later wildcards flatten
    [['a', '*'], []], // wildcard on a non-list: empty list
    [['missing', '*', 'x'], []],
    [['__proto__', 'polluted'], true], // an own "__proto__" key from JSON.parse is ordinary data
    [['constructor'], 'own'],
    [['toString'], undefined],
    [['hasOwnProperty'], undefined],
    [[], event],
  ])('%j', (parts, expected) => {
    expect(get(event, ...parts)).toEqual(expected);
  });

  it('never reads inherited or non-plain-object properties', () => {
    const proto = { inherited: 1 };
    const child = Object.create(proto) as Record<string, unknown>;
    child.own = 2;
    expect(get({ x: child }, 'x', 'inherited')).toBeUndefined();
    expect(get({ x: new Date(0) }, 'x', 'getTime')).toBeUndefined();
    class Thing {
      field = 1;
    }
    expect(get({ x: new Thing() }, 'x', 'field')).toBeUndefined();
    expect(get({ x: new Map([['k', 1]]) }, 'x', 'k')).toBeUndefined();
    const bare = Object.create(null) as Record<string, unknown>;
    bare.k = 'v';
    expect(get({ x: bare }, 'x', 'k')).toBe('v');
  });

  it('never reads a polluted Object.prototype or the __proto__ accessor', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'yes';
    proto.type = 'track';
    try {
      expect(get({}, 'polluted')).toBeUndefined();
      expect(get({ a: {} }, 'a', 'type')).toBeUndefined();
      expect(get({ type: 'track' }, 'type')).toBe('track'); // own value equal to the polluted one
      expect(get({ type: 'page' }, 'type')).toBe('page');
    } finally {
      delete proto.polluted;
      delete proto.type;
    }
    expect(get({ a: 1 }, '__proto__')).toBeUndefined();
    expect(get({ a: 1 }, 'toString')).toBeUndefined();
    expect(get({ a: 1 }, 'constructor')).toBeUndefined();
    expect(get(JSON.parse('{"__proto__": 5}'), '__proto__')).toBe(5);
    expect(get(JSON.parse('{"toString": "own"}'), 'toString')).toBe('own');
  });

  it('does not read a polluted Array.prototype through holes', () => {
    const arr: unknown[] = [];
    arr.length = 2;
    (Array.prototype as unknown as Record<number, unknown>)[0] = 'polluted';
    try {
      expect(get({ xs: arr }, 'xs', 0)).toBeUndefined();
      expect(get({ xs: arr }, 'xs', '*')).toEqual([]);
    } finally {
      delete (Array.prototype as unknown as Record<number, unknown>)[0];
    }
  });

  it.each([1, 2, 3, 4, 7])('key paths of length %i agree with a step-by-step walk', (n) => {
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    let deep: unknown = 'leaf';
    for (let i = n - 1; i >= 0; i--) deep = { [keys[i] as string]: deep };
    expect(compileKeyPath(keys)(deep)).toBe('leaf');
    expect(compileKeyPath([...keys.slice(0, -1), 'nope'])(deep)).toBeUndefined();
    expect(compileKeyPath(keys)('not an object')).toBeUndefined();
    expect(compileKeyPath(keys)(null)).toBeUndefined();
  });
});

describe('FQL equality (§7.3)', () => {
  it.each<[unknown, unknown, boolean]>([
    [null, null, true],
    [undefined, null, true],
    [undefined, undefined, true],
    [true, true, true],
    [true, false, false],
    [3, 3.0, true],
    [99.5, 99.5, true],
    [-0, 0, true],
    ['a', 'a', true],
    ['a', 'A', false],
    ['é', 'e\u0301', false],
    ['3', 3, false],
    ['true', true, false],
    [1, true, false],
    [0, false, false],
    ['', null, false],
    [[], null, false],
    [{}, null, false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [[1, 2], [1, 2, 3], false],
    [[null], [undefined], true],
    [[[1]], [[1]], true],
    [{ a: 1, b: [1] }, { b: [1], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, c: 2 }, { a: 1, b: 2 }, false],
    [{ a: undefined }, { b: undefined }, false],
    [[], {}, false],
    [{ 0: 'x' }, ['x'], false],
  ])('%j = %j is %s', (a, b, expected) => {
    expect(fqlEquals(a, b)).toBe(expected);
    expect(fqlEquals(b, a)).toBe(expected);
  });

  it('handles 10,000-deep values without recursion and gives up past the depth cap', () => {
    const deep = (n: number): unknown => {
      let v: unknown = 1;
      for (let i = 0; i < n; i++) v = { a: v };
      return v;
    };
    expect(fqlEquals(deep(10_000), deep(10_000))).toBe(false);
    expect(fqlEquals(deep(MAX_EQUALITY_DEPTH - 1), deep(MAX_EQUALITY_DEPTH - 1))).toBe(true);
    const x = deep(10_000);
    expect(fqlEquals(x, x)).toBe(true); // identical references are equal at any depth
  });

  it('terminates on cyclic (non-JSON) values', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    const b: Record<string, unknown> = {};
    b.self = b;
    expect(fqlEquals(a, b)).toBe(false);
  });
});

describe('kinds, type names, truth', () => {
  it.each<[unknown, string, string]>([
    [undefined, 'missing', 'null'],
    [null, 'null', 'null'],
    [true, 'bool', 'bool'],
    [1.5, 'number', 'number'],
    ['', 'string', 'string'],
    [[], 'list', 'list'],
    [{}, 'object', 'object'],
    [Object.create(null), 'object', 'object'],
    [new Date(0), 'other', 'null'],
    [Number.NaN, 'other', 'null'],
    [() => 1, 'other', 'null'],
  ])('%o', (v, kind, name) => {
    expect(kindOf(v)).toBe(kind);
    expect(fqlTypeName(v)).toBe(name);
  });

  it('isRecord accepts plain objects from any realm, rejects the rest', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord('x')).toBe(false);
    expect(isRecord(new (class A {})())).toBe(false);
  });
});
