// Public entry points of the mapping stage (re-exported by src/index.ts): compile and check `.map`
// source, import Segment subscription JSON. Parse → check → compile; errors throw CompileError.

import { bySeverityThenPosition, CompileError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseMap } from '../parser/index.js';
import { analyzeMapFile, type CompileOptions, type MappingAnalysis } from './compile.js';
import { printMapFile } from './print.js';
import { segmentToMapFile, type SegmentSubscription } from './segment/import.js';
import type { Subscription } from './subscription.js';

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

/**
 * Compiles a Segment subscription (mapping-kit JSON) into the same kind of Subscription as a
 * `.map` file, keeping Segment's semantics; `toMapSource()` prints it as `.map` text. Throws
 * CompileError (SEG… / FQL… diagnostics) when the JSON cannot be imported.
 */
export function importSegmentSubscription(json: SegmentSubscription): Subscription {
  try {
    return importChecked(json);
  } catch (e) {
    // importing and compiling recurse over the mapping JSON: a hostile, very deep mapping is a diagnostic
    if (!(e instanceof RangeError)) throw e;
    throw new CompileError([{ code: 'SEG001', severity: 'error', message: 'the mapping is nested too deeply', span: { start: 0, end: 0, line: 1, column: 1 } }]);
  }
}

function importChecked(json: SegmentSubscription): Subscription {
  const imported = segmentToMapFile(json);
  if (!imported.file || hasErrors(imported.diagnostics)) throw new CompileError(imported.diagnostics);
  const file = imported.file;
  const name = typeof json.name === 'string' ? json.name : json.partnerAction;
  const text = printMapFile(file, [`Imported from the Segment subscription "${name}".`]);
  const result = analyzeMapFile(file, { source: '', mapSource: () => text, lines: false });
  if (!result.subscription) throw new CompileError([...imported.diagnostics, ...result.diagnostics]);
  return result.subscription;
}
