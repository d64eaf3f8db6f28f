// Assertions about diagnostics shared by the compiler fuzzers: every finding is data with a known
// code, a severity matching the code table, a non-empty message and a span that points into the source.

import { expect } from 'vitest';
import { CODES } from '../../../src/diagnostics/codes.js';
import { CompileError, type Diagnostic } from '../../../src/index.js';

/** Line/column (1-based, UTF-16 columns) of an offset, counted the slow obvious way. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Problems with one diagnostic against its source; `[]` when it is well-formed. */
export function diagnosticProblems(source: string, d: Diagnostic): string[] {
  const problems: string[] = [];
  const info = (CODES as Record<string, { severity: string } | undefined>)[d.code];
  if (!info) problems.push(`unknown code ${String(d.code)}`);
  else if (info.severity !== d.severity) problems.push(`${d.code}: severity ${d.severity}, table says ${info.severity}`);
  if (typeof d.message !== 'string' || d.message.trim() === '') problems.push(`${d.code}: empty message`);
  if (d.hint !== undefined && typeof d.hint !== 'string') problems.push(`${d.code}: hint is not a string`);
  const s = d.span;
  if (!s || !Number.isInteger(s.start) || !Number.isInteger(s.end)) problems.push(`${d.code}: span offsets are not integers`);
  else {
    if (s.start < 0 || s.end < s.start || s.end > source.length) problems.push(`${d.code}: span [${s.start}, ${s.end}) outside source of ${source.length}`);
    else {
      const lc = lineColumn(source, s.start);
      if (lc.line !== s.line || lc.column !== s.column) problems.push(`${d.code}: span says ${s.line}:${s.column}, offset ${s.start} is ${lc.line}:${lc.column}`);
    }
  }
  return problems;
}

/** Asserts every diagnostic is well-formed against `source`. */
export function expectWellFormed(source: string, diagnostics: readonly Diagnostic[]): void {
  const problems = diagnostics.flatMap((d) => diagnosticProblems(source, d));
  expect(problems, JSON.stringify(source.slice(0, 200))).toEqual([]);
}

/**
 * Runs a compile call and classifies the outcome: `ok` with its value, or `error` with a
 * CompileError that carries at least one well-formed error diagnostic. Any other exception fails.
 */
export function compileOutcome<T>(source: string, compile: (s: string) => T): { ok: true; value: T } | { ok: false; error: CompileError } {
  try {
    return { ok: true, value: compile(source) };
  } catch (err) {
    if (!(err instanceof CompileError)) {
      throw new Error(`compile threw ${(err as Error)?.name}: ${(err as Error)?.message} for ${JSON.stringify(source.slice(0, 300))}`, { cause: err });
    }
    expect(err.diagnostics.some((d) => d.severity === 'error'), `CompileError without an error diagnostic for ${JSON.stringify(source.slice(0, 200))}`).toBe(true);
    expectWellFormed(source, err.diagnostics);
    return { ok: false, error: err };
  }
}
