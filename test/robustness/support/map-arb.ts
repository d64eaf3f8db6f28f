// Generators of `.map` source for the property tests: valid subscriptions (a real target, a
// `when` trigger from the FQL generator, field assignments built from every expression form of
// mapping.md §2 and the function library with valid constant arguments), and mutations of them.

import fc from 'fast-check';
import { ACTIONS } from '../../../src/index.js';
import { fqlArb, KEY_POOL, mutatedFqlArb, spellKey } from './fql-arb.js';

const roots = fc.constantFrom('userId', 'anonymousId', 'event', 'type', 'messageId', 'timestamp', 'properties', 'traits', 'context', 'context.traits', 'properties.items', '$.properties', '$.traits');
const key = fc.constantFrom(...KEY_POOL);

/** A .map path: dotted keys (escaped when needed), `[0]`, `[*]`, `["key"]`. */
const pathArb: fc.Arbitrary<string> = fc
  .tuple(roots, fc.array(fc.oneof(key.map((k) => `.${spellKey(k, false)}`), fc.constantFrom('[0]', '[-1]', '[*]', '["a b"]', '["__proto__"]')), { maxLength: 3 }))
  .map(([r, segs]) => r + segs.join(''));

const stringConst = fc.constantFrom('"a"', '","', '""', '"x y"', "'{{ literal }}'", '"😀"', '"__proto__"');

/** Valid call shapes: [template with `#` for expression arguments]. Constant arguments are valid. */
const CALLS: readonly string[] = [
  'lower(#)', 'upper(#)', 'trim(#)', 'split(#, ",")', 'join(#, ",")', 'substring(#, 0, 3)', 'truncate(#, 10, "…")',
  'starts_with(#, "a")', 'ends_with(#, "a")', 'replace(#, "a", "b")', 'replace(#, "a", "b", { all: true, ignore_case: true })',
  'merge(#, #)', 'pick(#, "a", "__proto__")', 'without(#, "a")', 'flatten(#, ".")', 'compact(#)', 'keys(#)', 'values(#)',
  'get(#, "a.b")', 'first(#)', 'last(#)', 'count(#)', 'unique(#)', 'to_json(#)', '(parse_json(#) catch #)', '(to_unix(#) catch omit)',
  '(to_iso(#) catch omit)', '(format_date(#, "yyyy-MM-dd") catch omit)', '(parse_date(#, "dd/MM/yyyy") catch omit)', 'coalesce(#, #)',
  'jsonpath(#, "$..sku")', 'contains(#, "a")', 'match(#, "a*")', 'length(#)', 'typeof(#)', 'string(#)', 'number(#)', 'bool(#)',
  'lowercase(#)', 'titlecase(#)',
];

/** A mapping expression (mapping.md §2), never a bare literal at the top (literals are type-checked per field). */
export const mapExprArb: fc.Arbitrary<string> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', maxDepth: 3, depthIdentifier: 'map' },
    pathArb,
    pathArb,
    fc.tuple(tie('expr'), tie('any')).map(([a, b]) => `${a} ?? ${b}`),
    fc.tuple(tie('expr'), tie('any')).map(([a, b]) => `${a} ?: ${b}`),
    fc.tuple(fc.constantFrom(...CALLS), fc.array(tie('expr'), { minLength: 3, maxLength: 3 })).map(([shape, args]) => {
      let k = 0;
      return shape.replace(/#/g, () => args[k++ % args.length] as string);
    }),
    fc.tuple(tie('expr'), fc.constantFrom('lower', 'trim', 'upper', 'compact', 'keys', 'first')).map(([a, f]) => `${a} | ${f}`),
    // in expressions double-quoted strings are .map strings (JSON escapes, `{{` templates)
    fc.tuple(fqlArb.filter((c) => !c.includes('{{') && (!c.includes('\\') || !c.includes('"'))), tie('expr'), tie('any')).map(([c, a, b]) => `if ${c} then ${a} else ${b}`),
    fc.tuple(tie('expr'), tie('any'), tie('any')).map(([x, a, b]) => `case ${x} when "a", "b" then ${a} when "c" then ${b} else omit end`),
    fc.tuple(pathArb, tie('any')).map(([list, body]) => `each ${list} as $p { sku: $p.sku, v: ${body}, user: userId }`),
    pathArb.map((p) => `"hi {{ ${p} }} and {{ userId }}!"`),
  ),
  any: fc.oneof({ depthSize: 'small', maxDepth: 3, depthIdentifier: 'map' }, tie('expr'), stringConst, fc.constantFrom('42', '-1.5', 'true', 'null', 'omit', '[1, userId]', '{ a: 1, "b c": traits.x }')),
})).expr as fc.Arbitrary<string>;

const actionKeys = Object.keys(ACTIONS);

/**
 * FQL for the `when` header. A backslash inside a string is ordinary text in FQL; the header
 * honours that, except right before a closing `"` (the .map lexer reads `\"` as an escaped quote)
 * and in strings holding `{{` (refused as templates, MAP004): both open and reported
 * (docs/limits.md §5), so those spellings are left out here.
 */
const mapFqlArb = fqlArb.filter((s) => !s.includes('\\"') && !s.includes('{{'));

/** A valid .map subscription for a random action. */
export const mapArb: fc.Arbitrary<string> = fc
  .constantFrom(...actionKeys)
  .chain((target) => {
    const fields = Object.entries((ACTIONS as Record<string, { fields: Record<string, { type: string }> }>)[target]?.fields ?? {});
    const assignable = fields.filter(([, f]) => f.type === 'string' || f.type === 'object').map(([n, f]) => [n, f.type] as const);
    return fc.tuple(
      fc.constant(target),
      fc.option(mapFqlArb, { nil: undefined }),
      fc.subarray(assignable, { maxLength: Math.min(4, assignable.length) }),
      fc.array(mapExprArb, { minLength: 4, maxLength: 4 }),
      fc.array(fc.tuple(fc.constantFrom('$a', '$b'), mapExprArb), { maxLength: 2 }),
      fc.boolean(),
    );
  })
  .map(([target, when, chosen, exprs, lets, comment]) => {
    const lines = [`target ${target}`, `title  "fuzz ${target}"`];
    if (when !== undefined) lines.push(`when   ${when}`);
    if (comment) lines.push('# a comment line');
    for (const [name, e] of lets) lines.push(`let ${name} = ${e}`);
    chosen.forEach(([field, type], i) => {
      const e = exprs[i] as string;
      lines.push(type === 'object' ? `${field} = { k: ${e}, "__proto__": ${e}, nested: { deep: [${e}] } }` : `${field} = ${e}`);
    });
    return `${lines.join('\n')}\n`;
  });

type Mutation = (s: string) => string;
const at = (s: string, r: number): number => Math.floor(r * (s.length + 1));
const noise = fc.oneof(
  fc.constantFrom('{', '}', '(', ')', '[', ']', '"', "'", '{{', '}}', '\\', '\n', '=', '|', '??', '?:', 'each', 'if', 'then', 'case', 'end', 'let $x =', 'target', 'when', 'example "x" {', '#', '$', '\ud800', ','),
  fc.string({ maxLength: 4 }),
  fc.string({ maxLength: 3, unit: 'binary' }),
);
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(12)).map(([r, n]): Mutation => (s) => s.slice(0, at(s, r)) + s.slice(at(s, r) + n)),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), noise).map(([r, x]): Mutation => (s) => s.slice(0, at(s, r)) + x + s.slice(at(s, r))),
  fc.double({ min: 0, max: 1, noNaN: true }).map((r): Mutation => (s) => s.slice(0, at(s, r))),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([r, q]): Mutation => (s) => {
    const lines = s.split('\n');
    const i = Math.floor(r * lines.length);
    const j = Math.floor(q * lines.length);
    [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
    return lines.join('\n');
  }),
);

/** A valid .map file with one to four random edits (or its trigger replaced by a mutated one). */
export const mutatedMapArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(mapArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 })).map(([src, muts]) => muts.reduce((s, m) => m(s), src)),
  fc.tuple(mapArb, mutatedFqlArb).map(([src, bad]) => src.replace(/^title .*$/m, (t) => `${t}\nwhen ${bad}`)),
);
