// Text helpers behind the FQL string functions: UTF-8 byte length, and the simple (one-to-one,
// per code point) uppercase that titlecase applies to each word's first character.
// lowercase/uppercase use JavaScript's full mapping, as Segment's `@case` does (strings.ts).

/** UTF-8 length of a JS string; a lone surrogate counts 3 bytes (encoded as U+FFFD). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const upperCache = new Map<number, number>();

/** Simple (one-to-one) uppercase of one code point: JavaScript's mapping when it is one code point, else the code point unchanged. */
function upperCodePoint(cp: number): number {
  const hit = upperCache.get(cp);
  if (hit !== undefined) return hit;
  const mapped = String.fromCodePoint(cp).toUpperCase();
  const first = mapped.codePointAt(0) as number;
  // one code point → that is the simple mapping; several → no simple mapping, keep the original
  const result = mapped.length === (first > 0xffff ? 2 : 1) ? first : cp;
  if (upperCache.size < 4096) upperCache.set(cp, result);
  return result;
}

/**
 * Builds a string from code units in chunks: `out += ch` per character makes a deep rope that
 * costs superlinear time to flatten on long inputs (a 1 MB string took 100× the time of 128 KB).
 */
class StringBuilder {
  private readonly parts: string[] = [];
  private units: number[] = [];
  pushCodePoint(cp: number): void {
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      this.units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else this.units.push(cp);
    if (this.units.length >= 4096) this.flush();
  }
  private flush(): void {
    this.parts.push(String.fromCharCode(...this.units));
    this.units = [];
  }
  toString(): string {
    this.flush();
    return this.parts.join('');
  }
}

/** The first code point of every space-separated word uppercased (simple mapping), the rest unchanged. */
export function titleWords(s: string): string {
  const out = new StringBuilder();
  let atWordStart = true;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    const surrogate = cp >= 0xd800 && cp <= 0xdfff;
    out.pushCodePoint(atWordStart && cp !== 0x20 && !surrogate ? upperCodePoint(cp) : cp);
    atWordStart = cp === 0x20;
    i += cp > 0xffff ? 2 : 1;
  }
  return out.toString();
}

/** Replaces every U+0020 space with `sep` (snakecase `_`, kebabcase `-`). */
export function replaceSpaces(s: string, sep: string): string {
  return s.split(' ').join(sep);
}

/**
 * Shortest round-trip decimal without exponent notation: `42` → "42", `1.5` → "1.5",
 * `1e21` → "1000000000000000000000", `1e-7` → "0.0000001".
 */
export function formatNumber(n: number): string {
  const text = String(n);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent; // digits before the decimal point
  let body: string;
  if (pointAt <= 0) body = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) body = digits + '0'.repeat(pointAt - digits.length);
  else body = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${body}` : body;
}

/** §2.6 number syntax: optional sign, digits, optional `.digits`. Linear regex (no nested quantifiers). */
const NUMBER_TEXT = /^[+-]?[0-9]+(?:\.[0-9]+)?$/;

/** FQL `number(s)` on a string: ASCII-whitespace-trimmed §2.6 literal → value; else null. */
export function parseNumberText(s: string): number | null {
  // trimmed by hand: a `\s+$` regex is quadratic on long inner runs of spaces
  let start = 0;
  let end = s.length;
  while (start < end && isAsciiSpace(s.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(s.charCodeAt(end - 1))) end--;
  const trimmed = s.slice(start, end);
  if (!NUMBER_TEXT.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
