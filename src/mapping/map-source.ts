// `.map` source → diagnostics and a Subscription: parse → check → compile (errors throw
// CompileError). Public through mapping/api.ts; its own module so that `cio-actions check` loads
// neither the Segment importer nor anything else it does not use (start-up, issue #11).

import { CompileError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseMap } from '../parser/map.js';
import { analyzeMapFile, type CompileOptions, type MappingAnalysis } from './compile.js';
import type { Subscription } from './subscription.js';

function bySeverityThenPosition(a: Diagnostic, b: Diagnostic): number {
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return a.span.start - b.span.start;
}

/** Parses, checks and compiles `.map` source; never throws on any input. */
export function analyzeMapping(source: string, options: { filename?: string } = {}): MappingAnalysis {
  let parsed;
  try {
    parsed = parseMap(source);
  } catch (e) {
    return { diagnostics: [{ code: 'MAP007', severity: 'error', message: `internal parser error: ${(e as Error).message}`, span: { start: 0, end: 0, line: 1, column: 1 } }] };
  }
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.ast) return { diagnostics: diagnostics.sort(bySeverityThenPosition) };
  // A too-deep expression stays in the partial AST, and compiling it (recursively) overflowed the
  // stack on 10,000-term `??` chains: stop at the depth error.
  if (diagnostics.some((d) => d.code === 'FQL108')) return { diagnostics: diagnostics.sort(bySeverityThenPosition) };
  const opts: CompileOptions = { source, partial: hasErrors(diagnostics) };
  if (options.filename !== undefined) opts.filename = options.filename;
  let result: MappingAnalysis;
  try {
    result = analyzeMapFile(parsed.ast, opts);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const deep: Diagnostic = { code: 'FQL108', severity: 'error', message: 'expression nested too deeply to compile', span: { start: 0, end: 0, line: 1, column: 1 } };
    return { diagnostics: [...diagnostics, deep].sort(bySeverityThenPosition) };
  }
  const all = [...diagnostics, ...result.diagnostics].sort(bySeverityThenPosition);
  // a file with syntax errors is not compiled into a subscription, even if what parsed was fine
  return hasErrors(all) || !result.subscription ? { diagnostics: all } : { diagnostics: all, subscription: result.subscription };
}

/** Compiles a `.map` file into a Subscription; throws CompileError with every diagnostic when there is an error. */
export function compileMapping(source: string, options: { filename?: string } = {}): Subscription {
  const { diagnostics, subscription } = analyzeMapping(source, options);
  if (!subscription) throw new CompileError(diagnostics);
  return subscription;
}

/** Every diagnostic of a `.map` file (errors first, then warnings). Never throws. */
export function checkMapping(source: string, options: { filename?: string } = {}): Diagnostic[] {
  try {
    return analyzeMapping(source, options).diagnostics;
  } catch (e) {
    return [{ code: 'MAP007', severity: 'error', message: `internal error: ${(e as Error).message}`, span: { start: 0, end: 0, line: 1, column: 1 } }];
  }
}

