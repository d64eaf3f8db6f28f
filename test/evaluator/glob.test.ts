// Glob patterns (§9): D1's examples, classes, ranges by code point, negation, escapes, malformed
// patterns, code points vs UTF-16 units, and linear step counts on pathological patterns.
import { describe, expect, it } from 'vitest';
import { compileGlob, GlobCache, isValidGlob, matchGlobCounting, parseGlob } from '../../src/evaluator/glob.js';

/** Both matchers (literal fast path and the general one) must give the same answer. */
function check(s: string, pattern: string): boolean {
  const fast = compileGlob(pattern).test(s);
  const general = matchGlobCounting(pattern, s).matched;
  expect(fast, `fast path vs general for ${JSON.stringify(s)} ~ ${JSON.stringify(pattern)}`).toBe(general);
  return fast;
}

describe('glob matching', () => {
  it.each<[string, string, boolean]>([
    // D1
    ['abcd', 'a*d', true],
    ['abc', 'ab', false],
    ['abcd', 'a??d', true],
    ['abcd', '*d', true],
    ['ab*d', 'ab\\*d', true],
    ['abxd', 'ab\\*d', false],
    ['abCd', 'ab[cC]d', true],
    ['abcd', 'ab[a-z]d', true],
    ['abcd', 'ab[A-Z]d', false],
    ['', '*', true],
    // anchoring, stars
    ['xabcd', 'a*d', false],
    ['abcdx', 'a*d', false],
    ['a/b/c', 'a*c', true], // `*` crosses `/`
    ['abc', '***', true],
    ['abc', 'a**c', true],
    ['ac', 'a*?*c', false],
    ['abc', 'a*?*c', true],
    ['aXbYc', '*a*b*c*', true],
    ['acb', '*a*b*c*', false],
    ['mississippi', 'm*iss*ppi', true],
    ['mississippi', 'm*iss*iss*ppi', true],
    ['mississippi', 'm*iss*iss*iss*', false],
    ['', '', true],
    ['a', '', false],
    ['', '?', false],
    // classes
    ['b', '[abc]', true],
    ['d', '[abc]', false],
    ['d', '[^abc]', true],
    ['a', '[^abc]', false],
    ['!', '[!a]', true], // `!` is not negation
    ['b', '[!a]', false],
    ['^', '[x^]', true],
    [']', '[\\]a]', true],
    ['-', '[x\\-]', true],
    ['y', '[x\\-]', false],
    ['[', '[[]', true],
    ['α', '[a-ζ]', true], // ranges by code point
    ['ω', '[a-ζ]', false],
    ['m', '[z-a]', false], // an empty range matches nothing
    ['m', '[^z-a]', true],
    ['5', '[0-9][0-9]', false],
    ['55', '[0-9][0-9]', true],
    // escapes
    ['a?b', 'a\\?b', true],
    ['axb', 'a\\?b', false],
    ['a\\b', 'a\\\\b', true],
    ['n', '\\n', true],
    // code points, not UTF-16 units
    ['a😀b', 'a?b', true],
    ['a😀b', 'a??b', false],
    ['😀', '[😀]', true],
    ['😁', '[😀-😂]', true],
    ['x😀', '?😀', true],
    ['😀x', '[^a]x', true],
    ['日本語', '日*', true],
    ['日本語', '??語', true],
  ])('match(%j, %j) = %s', (s, pattern, expected) => {
    expect(check(s, pattern)).toBe(expected);
  });

  it.each(['[', 'a[', '[]a]', '[-x]', '[x-]', '[a-b-c]', 'a\\', '[^]', '[a', '[\\', '[a-\\'])('malformed %j never matches', (pattern) => {
    expect(isValidGlob(pattern)).toBe(false);
    expect(parseGlob(pattern)).toBeUndefined();
    for (const s of ['', 'a', '[', pattern, 'x]']) expect(compileGlob(pattern).test(s)).toBe(false);
  });

  it.each([1, null, undefined, ['a'], { a: 1 }, true])('non-string %j never matches', (v) => {
    expect(compileGlob('*').test(v)).toBe(false);
    expect(compileGlob('a?').test(v)).toBe(false);
  });
});

describe('linear time', () => {
  // the step counter counts single-character comparisons of the general matcher
  it.each<[string, (n: number) => string]>([
    ['*a*a*a*a*a*b', (n) => 'a'.repeat(n)],
    ['*aaaaaaaab*', (n) => 'a'.repeat(n)],
    ['a*a*a*a*a*a*a*a*c', (n) => 'a'.repeat(n)],
    ['*?*?*?*?*?*x', (n) => 'ab'.repeat(n / 2)],
    ['[a-z]*[a-z]*[a-z]*!', (n) => 'q'.repeat(n)],
  ])('%s grows linearly with the input', (pattern, input) => {
    const small = matchGlobCounting(pattern, input(10_000));
    const large = matchGlobCounting(pattern, input(20_000));
    expect(small.matched).toBe(false);
    // at most (pattern length) comparisons per input character, and doubling n at most doubles steps (+slack)
    expect(small.steps).toBeLessThanOrEqual(10_000 * pattern.length);
    expect(large.steps).toBeLessThanOrEqual(small.steps * 2.1 + 100); // quadratic would be ×4
  });
});

describe('literal middle segments are searched in O(n), whatever their length', () => {
  it.each([10, 100, 1000])('*a{%i}[b]* on a run of a', (m) => {
    const pattern = `*${'a'.repeat(m)}[b]*`; // `[b]` is the literal b
    for (const n of [5_000, 40_000]) {
      const { matched, steps } = matchGlobCounting(pattern, 'a'.repeat(n));
      expect(matched).toBe(false);
      expect(steps).toBeLessThanOrEqual(2 * n + 2 * m); // KMP: at most 2 comparisons per character
    }
    expect(matchGlobCounting(pattern, `${'a'.repeat(m + 5)}b`).matched).toBe(true);
    expect(matchGlobCounting(pattern, `x${'a'.repeat(m)}by`).matched).toBe(true);
  });

  it('finds overlapping occurrences correctly (KMP fallback)', () => {
    expect(check('aabaabaaab', '*aab*aaab')).toBe(true);
    expect(check('abababac', '*ababac')).toBe(true);
    expect(check('xabababacx', '*ababac*')).toBe(true);
    expect(check('xababab?cx', '*ababac*')).toBe(false);
    expect(check('aaab', '*[a]ab*[b]')).toBe(false); // the middle `aab` would overlap the final `b`
    expect(check('aaabb', '*[a]ab*[b]')).toBe(true);
  });
});

describe('GlobCache', () => {
  it('is bounded and reuses compiled patterns', () => {
    const cache = new GlobCache(4);
    const first = cache.get('a*');
    expect(cache.get('a*')).toBe(first);
    for (let i = 0; i < 100; i++) cache.get(`p${i}*`);
    expect(cache.size).toBe(4);
    expect(cache.get('a*')).not.toBe(first); // evicted, recompiled
    expect(cache.get('p99*').test('p99x')).toBe(true);
  });
});
