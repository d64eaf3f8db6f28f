// Operators (§7.3–7.5): each operator × value type × missing/null, and the compiled closures
// (constant-specialised or not) agree with the operator table on every pair.
import { describe, expect, it } from 'vitest';
import type { CompareOp, Expr } from '../../src/parser/ast.js';
import { OPERATORS } from '../../src/evaluator/operators.js';
import { cmp, compileFql, lit, path } from './ast-builders.js';

/** One sample per type, plus missing; the event holds each under `v<i>`. */
const SAMPLES: Array<[string, unknown]> = [
  ['missing', undefined],
  ['null', null],
  ['true', true],
  ['false', false],
  ['0', 0],
  ['-0', -0],
  ['3', 3],
  ['2.5', 2.5],
  ['"3"', '3'],
  ['""', ''],
  ['"a"', 'a'],
  ['"true"', 'true'],
  ['[]', []],
  ['[1,2]', [1, 2]],
  ['[2,1]', [2, 1]],
  ['["a",null]', ['a', null]],
  ['{}', {}],
  ['{a:1}', { a: 1 }],
];
const EVENT: Record<string, unknown> = {};
SAMPLES.forEach(([, v], i) => {
  if (v !== undefined) EVENT[`v${i}`] = v;
});
const OPS: CompareOp[] = ['=', '!=', '<', '<=', '>', '>=', 'in'];

describe('operator table rows (§7)', () => {
  it.each<[CompareOp, unknown, unknown, boolean]>([
    ['=', undefined, null, true],
    ['!=', undefined, null, false],
    ['!=', undefined, 'x', true],
    ['!=', '3', 3, true],
    ['=', 3, 3.0, true],
    ['=', [1, 2], [2, 1], false],
    ['<', 1, 2, true],
    ['<', 2, 2, false],
    ['<=', 2, 2, true],
    ['>', 150, 100, true],
    ['>', '150', 100, false],
    ['>', 150, '100', false],
    ['>=', null, 0, false],
    ['<', undefined, 1, false],
    ['<', 'a', 'b', false], // strings have no ordering
    ['in', 'a', ['a', 'b'], true],
    ['in', 'c', ['a', 'b'], false],
    ['in', 'a', 'abc', false], // no substring semantics
    ['in', null, [null, ''], true],
    ['in', undefined, [null, ''], true],
    ['in', 1, ['1'], false],
    ['in', [1], [[1], [2]], true],
    ['in', 'a', { a: 1 }, false],
    ['in', 'a', null, false],
  ])('%s: %j vs %j → %s', (op, a, b, expected) => {
    expect(OPERATORS[op].test(a, b)).toBe(expected);
  });

  it('`!=` is negation wrapped around `=`, never its own logic', () => {
    expect(OPERATORS['!='].negates).toBe('=');
    for (const [, a] of SAMPLES) for (const [, b] of SAMPLES) expect(OPERATORS['!='].test(a, b)).toBe(!OPERATORS['='].test(a, b));
  });

  it('ordering is false whenever an operand is not a number', () => {
    for (const op of ['<', '<=', '>', '>='] as const)
      for (const [, a] of SAMPLES)
        for (const [, b] of SAMPLES) if (typeof a !== 'number' || typeof b !== 'number') expect(OPERATORS[op].test(a, b)).toBe(false);
  });

  it('`=` is symmetric and missing behaves exactly like null', () => {
    for (const [, a] of SAMPLES)
      for (const [, b] of SAMPLES) {
        expect(OPERATORS['='].test(a, b)).toBe(OPERATORS['='].test(b, a));
        if (a === undefined) expect(OPERATORS['='].test(a, b)).toBe(OPERATORS['='].test(null, b));
      }
  });
});

/** An operand for sample i: a path into the event, or (when JSON-literal-able) a literal. */
function operand(i: number, asLiteral: boolean): Expr | undefined {
  const v = (SAMPLES[i] as [string, unknown])[1];
  if (!asLiteral) return path(`v${i}`);
  if (v === undefined || (typeof v === 'object' && v !== null)) return undefined;
  return lit(v as string | number | boolean | null);
}

describe('compiled comparisons agree with the table for every op × type pair', () => {
  for (const op of OPS) {
    it(op, () => {
      let checked = 0;
      for (let i = 0; i < SAMPLES.length; i++)
        for (let j = 0; j < SAMPLES.length; j++)
          for (const [litL, litR] of [
            [false, false],
            [false, true],
            [true, false],
            [true, true],
          ] as const) {
            const left = operand(i, litL);
            const right = operand(j, litR);
            if (!left || !right) continue;
            const { fn, diagnostics } = compileFql(cmp(op, left, right));
            expect(diagnostics).toEqual([]);
            const expected = OPERATORS[op].test(SAMPLES[i]?.[1], SAMPLES[j]?.[1]);
            expect(fn(EVENT, undefined), `${SAMPLES[i]?.[0]} ${op} ${SAMPLES[j]?.[0]} (literal: ${litL}/${litR})`).toBe(expected);
            checked++;
          }
      expect(checked).toBeGreaterThan(SAMPLES.length * SAMPLES.length);
    });
  }
});
