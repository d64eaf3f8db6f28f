// Glob patterns for FQL `match(s, pattern)` (fql.md §9): parsed once into segments of fixed-width
// atoms separated by `*`, then matched over code points without backtracking: anchored first and
// last segments, leftmost search for the middle ones. Worst case O(|s| × |pattern|), never exponential.

/** One pattern character: a literal code point, `?`, or a class `[...]` / `[^...]`. */
type Atom =
  | { t: 'lit'; cp: number }
  | { t: 'any' }
  | { t: 'class'; negated: boolean; ranges: number[] }; // pairs [lo, hi, lo, hi, …], inclusive

/** A compiled glob: `test(s)` is total (false for non-strings). */
export interface Glob {
  readonly pattern: string;
  test(value: unknown): boolean;
}

/** Optional step counter, for tests that prove matching stays linear (no timing). */
export interface GlobStats {
  steps: number;
}

function cpLength(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

/**
 * Parses `pattern` per the §9 grammar into `*`-separated segments, or `undefined` when it is
 * malformed (a malformed pattern makes `match` false for every input).
 */
export function parseGlob(pattern: string): Atom[][] | undefined {
  const segments: Atom[][] = [[]];
  let current = segments[0] as Atom[];
  let i = 0;
  const n = pattern.length;
  const next = (): number => {
    const cp = pattern.codePointAt(i) as number;
    i += cpLength(cp);
    return cp;
  };
  while (i < n) {
    const cp = next();
    if (cp === 0x2a /* * */) {
      // consecutive stars are one star
      if (current.length > 0 || segments.length === 1) {
        current = [];
        segments.push(current);
      }
    } else if (cp === 0x3f /* ? */) current.push({ t: 'any' });
    else if (cp === 0x5c /* \ */) {
      if (i >= n) return undefined; // trailing lone backslash
      current.push({ t: 'lit', cp: next() });
    } else if (cp === 0x5b /* [ */) {
      let negated = false;
      if (i < n && pattern.codePointAt(i) === 0x5e /* ^ */) {
        negated = true;
        i++;
      }
      const ranges: number[] = [];
      // cchar = any but `\` `-` `]`, or `\` any
      const cchar = (): number | undefined => {
        if (i >= n) return undefined;
        const c = next();
        if (c === 0x5c) return i < n ? next() : undefined;
        if (c === 0x2d || c === 0x5d) return undefined;
        return c;
      };
      for (;;) {
        const lo = cchar();
        if (lo === undefined) return undefined;
        let hi = lo;
        if (i < n && pattern.codePointAt(i) === 0x2d /* - */) {
          i++;
          const h = cchar();
          if (h === undefined) return undefined;
          hi = h;
        }
        ranges.push(lo, hi);
        if (i >= n) return undefined; // unterminated class
        if (pattern.codePointAt(i) === 0x5d /* ] */) {
          i++;
          break;
        }
      }
      // `[b]` is just `b`: as a literal it can use the fast searches below
      if (!negated && ranges.length === 2 && ranges[0] === ranges[1]) current.push({ t: 'lit', cp: ranges[0] as number });
      else current.push({ t: 'class', negated, ranges });
    } else current.push({ t: 'lit', cp });
  }
  return segments;
}

function atomMatches(atom: Atom, cp: number): boolean {
  if (atom.t === 'lit') return atom.cp === cp;
  if (atom.t === 'any') return true;
  const r = atom.ranges;
  let inside = false;
  for (let k = 0; k < r.length; k += 2) {
    if ((r[k] as number) <= cp && cp <= (r[k + 1] as number)) {
      inside = true;
      break;
    }
  }
  return inside !== atom.negated;
}

type CodePoints = Int32Array;

function segmentAt(seg: Atom[], cps: CodePoints, at: number, stats: GlobStats | undefined): boolean {
  for (let k = 0; k < seg.length; k++) {
    if (stats) stats.steps++;
    if (!atomMatches(seg[k] as Atom, cps[at + k] as number)) return false;
  }
  return true;
}

/** The code points of `s` in one typed array (a surrogate pair is one element, a lone surrogate too). */
function toCodePoints(s: string): CodePoints {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < s.length; k++) {
    const cp = s.codePointAt(i) as number;
    out[k] = cp;
    i += cpLength(cp);
  }
  return out;
}

/** KMP failure table of a literal segment, for a linear leftmost search. */
function failureTable(lits: Int32Array): Int32Array {
  const fail = new Int32Array(lits.length);
  for (let i = 1, k = 0; i < lits.length; i++) {
    while (k > 0 && lits[i] !== lits[k]) k = fail[k - 1] as number;
    if (lits[i] === lits[k]) k++;
    fail[i] = k;
  }
  return fail;
}

/** A middle segment prepared for search: literal-only segments get KMP (linear), others are tried per position. */
interface Middle {
  atoms: Atom[];
  lits?: Int32Array;
  fail?: Int32Array;
}

function prepareMiddle(atoms: Atom[]): Middle {
  if (atoms.length < 2 || !atoms.every((a) => a.t === 'lit')) return { atoms };
  const lits = Int32Array.from(atoms.map((a) => (a as { cp: number }).cp));
  return { atoms, lits, fail: failureTable(lits) };
}

/** Leftmost position ≥ from where the segment matches and ends by `end`, or -1. */
function findSegment(m: Middle, cps: CodePoints, from: number, end: number, stats: GlobStats | undefined): number {
  const len = m.atoms.length;
  if (m.lits && m.fail) {
    const { lits, fail } = m;
    for (let i = from, k = 0; i < end; i++) {
      if (stats) stats.steps++;
      while (k > 0 && cps[i] !== lits[k]) k = fail[k - 1] as number;
      if (cps[i] === lits[k]) k++;
      if (k === len) return i - len + 1;
    }
    return -1;
  }
  for (let at = from; at + len <= end; at++) if (segmentAt(m.atoms, cps, at, stats)) return at;
  return -1;
}

/** A parsed pattern ready to match: anchored first/last segments, prepared middle ones. */
interface Compiled {
  segments: Atom[][];
  middles: Middle[];
}

function prepare(segments: Atom[][]): Compiled {
  return { segments, middles: segments.slice(1, -1).map(prepareMiddle) };
}

/** Matches code points: anchored ends, leftmost search for each middle segment (KMP when literal). */
function matchCompiled(c: Compiled, s: string, stats?: GlobStats): boolean {
  const { segments, middles } = c;
  const cps = toCodePoints(s);
  const n = cps.length;
  const first = segments[0] as Atom[];
  if (segments.length === 1) return n === first.length && segmentAt(first, cps, 0, stats);
  const last = segments[segments.length - 1] as Atom[];
  if (first.length + last.length > n) return false;
  if (!segmentAt(first, cps, 0, stats)) return false;
  if (!segmentAt(last, cps, n - last.length, stats)) return false;
  let pos = first.length;
  const end = n - last.length; // middle segments must fit in [pos, end)
  for (const m of middles) {
    const at = findSegment(m, cps, pos, end, stats);
    if (at < 0) return false;
    pos = at + m.atoms.length;
  }
  return true;
}

/** Matches `s` against parsed segments (see parseGlob). */
export function matchSegments(segments: Atom[][], s: string, stats?: GlobStats): boolean {
  return matchCompiled(prepare(segments), s, stats);
}

/** Literal-and-star patterns compare UTF-16 text directly (code point exact for well-formed text). */
function literalSegments(segments: Atom[][]): string[] | undefined {
  const out: string[] = [];
  for (const seg of segments) {
    let text = '';
    for (const atom of seg) {
      if (atom.t !== 'lit') return undefined;
      text += String.fromCodePoint(atom.cp);
    }
    out.push(text);
  }
  return out;
}

function literalMatcher(parts: string[]): (s: string) => boolean {
  const first = parts[0] as string;
  if (parts.length === 1) return (s) => s === first;
  const last = parts[parts.length - 1] as string;
  if (parts.length === 2) {
    if (first === '') return (s) => s.endsWith(last);
    if (last === '') return (s) => s.startsWith(first);
    return (s) => s.length >= first.length + last.length && s.startsWith(first) && s.endsWith(last);
  }
  const middle = parts.slice(1, -1);
  const minLength = parts.reduce((sum, p) => sum + p.length, 0);
  return (s) => {
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false;
    let pos = first.length;
    const end = s.length - last.length;
    for (const part of middle) {
      const at = s.indexOf(part, pos);
      if (at < 0 || at + part.length > end) return false;
      pos = at + part.length;
    }
    return true;
  };
}

const NEVER: Glob = Object.freeze({ pattern: '', test: () => false });

/**
 * Longest glob pattern (UTF-16 units) that can match. A middle segment with `?` or classes is
 * tried at every position, so one call costs up to |s| × |pattern| steps: an event carrying a
 * 64 K string and a 32 K pattern took 20-30 s. Capped, the cost stays linear in the event.
 */
export const MAX_GLOB_LENGTH = 256;

/** Compiles a pattern once. A malformed or too long pattern compiles to a glob that never matches. */
export function compileGlob(pattern: string): Glob {
  if (pattern.length > MAX_GLOB_LENGTH) return Object.freeze({ ...NEVER, pattern });
  const segments = parseGlob(pattern);
  if (!segments) return Object.freeze({ ...NEVER, pattern });
  const literal = literalSegments(segments);
  const compiled = prepare(segments);
  const run = literal ? literalMatcher(literal) : (s: string) => matchCompiled(compiled, s);
  return Object.freeze({ pattern, test: (value: unknown) => typeof value === 'string' && run(value) });
}

/** True when `pattern` is well-formed per fql.md §9. */
export function isValidGlob(pattern: string): boolean {
  return parseGlob(pattern) !== undefined;
}

/** Matching with a step counter (same algorithm as the general matcher), for linearity tests. */
export function matchGlobCounting(pattern: string, s: string): { matched: boolean; steps: number } {
  const segments = parseGlob(pattern);
  const stats: GlobStats = { steps: 0 };
  if (!segments) return { matched: false, steps: 0 };
  return { matched: matchSegments(segments, s, stats), steps: stats.steps };
}

/**
 * A small LRU of compiled globs for patterns only known at run time (`match(x, properties.p)`):
 * hostile events cannot grow it past `capacity`.
 */
export class GlobCache {
  private readonly entries = new Map<string, Glob>();
  constructor(private readonly capacity = 64) {}

  get(pattern: string): Glob {
    let glob = this.entries.get(pattern);
    if (glob) {
      // refresh recency: Map iteration order is insertion order
      this.entries.delete(pattern);
      this.entries.set(pattern, glob);
      return glob;
    }
    glob = compileGlob(pattern);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(pattern, glob);
    return glob;
  }

  get size(): number {
    return this.entries.size;
  }
}
