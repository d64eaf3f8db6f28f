// Generators of FQL source text for the property tests: valid triggers built from the fql.md §3
// grammar (every operator, function, escape and literal form), and mutations of them.

import fc from 'fast-check';

const KEYWORDS = new Set(['and', 'or', 'in', 'null', 'true', 'false']);

/** Function names with their fixed arity (fql.md §8). */
export const FQL_ARITY: ReadonlyArray<readonly [string, number]> = [
  ['contains', 2],
  ['match', 2],
  ['length', 1],
  ['lowercase', 1],
  ['uppercase', 1],
  ['snakecase', 1],
  ['kebabcase', 1],
  ['titlecase', 1],
  ['typeof', 1],
  ['bool', 1],
  ['string', 1],
  ['number', 1],
];

/** Event keys the generated paths and the generated events share, so paths often resolve. */
export const KEY_POOL = ['type', 'event', 'userId', 'properties', 'traits', 'context', 'a', 'b', 'price', 'items', 'user-id', '__proto__', 'constructor', 'prototype', 'toString', 'a.b', 'product 1', '1st', 'é'];

/** A key spelled as an FQL path segment: plain when it is identifier-shaped, escaped otherwise. */
export function spellKey(key: string, first: boolean): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && !(first && KEYWORDS.has(key))) return key;
  let out = '';
  for (const ch of key) {
    const plain = out === '' ? /[A-Za-z_]/.test(ch) : /[A-Za-z0-9_-]/.test(ch);
    out += plain ? ch : `\\${ch}`;
  }
  return out;
}

const roots = fc.constantFrom('type', 'event', 'name', 'userId', 'anonymousId', 'properties', 'traits', 'context', 'messageId', 'integrations', '__proto__', 'constructor');
const keyArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEY_POOL) },
  { weight: 1, arbitrary: fc.constantFrom('and', 'or', 'in', 'null', 'true', 'false') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
);

/** A path: a root and up to three keys, each correctly spelled or escaped. */
export const pathArb: fc.Arbitrary<string> = fc
  .tuple(roots, fc.array(keyArb, { maxLength: 3 }))
  .map(([root, keys]) => [spellKey(root, true), ...keys.map((k) => spellKey(k, false))].join('.'));

const stringBody = fc.string({ maxLength: 12, unit: fc.oneof(fc.constantFrom('a', ' ', '*', '?', '[', ']', '\\', '-', '^', '\n', '😀', 'é', '{', '}'), fc.string({ minLength: 1, maxLength: 1 })) });

/** A string literal in either quote style (no escapes in FQL: the body just avoids its own quote). */
export const stringLit: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('"', "'"), stringBody).map(([q, body]) => `${q}${body.split(q).join('')}${q}`);

/** A glob pattern literal: mostly well-formed, sometimes not (a malformed pattern is a warning, never an error). */
export const globLit: fc.Arbitrary<string> = fc
  .array(fc.constantFrom('*', '?', 'a', 'b', '[a-z]', '[^x]', '\\*', '[\\]a]', '😀', ' ', '[', '-'), { maxLength: 8 })
  .map((parts) => `"${parts.join('')}"`);

/** A number literal per fql.md §2.6 (sign, digits, optional fraction, leading zeros allowed). */
export const numberLit: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{1,17}$/), fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }))
  .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}`);

const literalArb = fc.oneof(stringLit, numberLit, fc.constantFrom('true', 'false', 'null'));
const compOp = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', ' in ');
const ws = fc.constantFrom(' ', ' ', ' ', '\n  ', '\t', '\r\n', '  ', '');
/** Token separator placeholder (private use; never produced by the literal generators). */
const S = '\uE000';


/** A valid FQL trigger (fql.md §3), nested up to a few levels. */
export const fqlArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.letrec((tie) => ({
      expr: fc.array(tie('andExpr'), { minLength: 1, maxLength: 3, depthIdentifier: 'fql' }).map((xs) => xs.join(`${S} or ${S}`)),
      andExpr: fc.array(tie('comparison'), { minLength: 1, maxLength: 3, depthIdentifier: 'fql' }).map((xs) => xs.join(`${S} and ${S}`)),
      comparison: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        tie('unary'),
        fc.tuple(tie('unary'), compOp, tie('unary')).map(([l, op, r]) => `${l}${S}${op}${S}${r}`),
      ),
      unary: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('primary'), tie('unary').map((u) => `!${u}`)),
      primary: fc.oneof(
        { depthSize: 'small', withCrossShrink: true, maxDepth: 3, depthIdentifier: 'fql' },
        pathArb,
        literalArb,
        fc.constantFrom(...FQL_ARITY).chain(([name, arity]) =>
          name === 'match'
            ? fc.tuple(tie('expr'), fc.oneof(globLit, tie('expr'))).map(([s, p]) => `match(${S}${s},${S}${p}${S})`)
            : fc.array(tie('expr'), { minLength: arity, maxLength: arity }).map((args) => `${name}(${S}${args.join(`,${S}`)}${S})`),
        ),
        fc.array(tie('expr'), { maxLength: 3, depthIdentifier: 'fql' }).map((xs) => `[${S}${xs.join(`,${S}`)}${S}]`),
        tie('expr').map((e) => `(${S}${e}${S})`),
      ),
    })).expr as fc.Arbitrary<string>,
    fc.array(ws, { minLength: 64, maxLength: 64 }),
  )
  // vary the whitespace between tokens (CR, LF, tabs) without breaking words apart
  .map(([src, spaces]) => {
    let k = 0;
    return src.replace(/\uE000/g, () => spaces[k++ % spaces.length] as string);
  });

/** Characters and tokens that are likely to break things when inserted. */
const noise = fc.oneof(
  fc.constantFrom('(', ')', '[', ']', ',', '.', '!', '=', '!=', '<', '>', '"', "'", '\\', ' and ', ' or ', ' in ', 'null', '1e3', '.5', '5.', '-', '&&', '||', '==', '{', '}', '$', '#', '|', '?', ':', '*', '\n', '\r', '\u0000', '\ud800', '\udc00', '😀', 'é'),
  fc.string({ maxLength: 4 }),
  fc.string({ maxLength: 3, unit: 'binary' }),
);

type Mutation = (s: string) => string;

const at = (s: string, r: number): number => Math.floor(r * (s.length + 1));

/** One random edit: delete a range, insert noise, duplicate a range, truncate, or swap halves. */
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(8)).map(([r, n]): Mutation => (s) => s.slice(0, at(s, r)) + s.slice(at(s, r) + n)),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), noise).map(([r, x]): Mutation => (s) => s.slice(0, at(s, r)) + x + s.slice(at(s, r))),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(10)).map(([r, n]): Mutation => (s) => s.slice(0, at(s, r) + n) + s.slice(at(s, r))),
  fc.double({ min: 0, max: 1, noNaN: true }).map((r): Mutation => (s) => s.slice(0, at(s, r))),
  fc.double({ min: 0, max: 1, noNaN: true }).map((r): Mutation => (s) => s.slice(at(s, r)) + s.slice(0, at(s, r))),
);

/** A valid trigger with one to four random edits applied. */
export const mutatedFqlArb: fc.Arbitrary<string> = fc
  .tuple(fqlArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
  .map(([src, muts]) => muts.reduce((s, m) => m(s), src));

/** Arbitrary text: printable, full Unicode, or raw UTF-16 (lone surrogates included). */
export const randomTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 60, unit: 'grapheme' }),
  fc.string({ maxLength: 60, unit: 'binary' }),
  fc.array(fc.constantFrom('(', ')', '!', 'a', '.', '"', ' ', 'and', 'or', '[', ']', ',', '1', '=', 'in', '\\'), { maxLength: 40 }).map((xs) => xs.join('')),
);
