// Public entry points of the mapping stage (re-exported by src/index.ts): compile and check `.map`
// source (map-source.ts), import Segment subscription JSON. Errors throw CompileError.

import { CompileError, hasErrors } from '../diagnostics/diagnostic.js';
import { analyzeMapFile } from './compile.js';
import { printMapFile } from './print.js';
import { segmentToMapFile, type SegmentSubscription } from './segment/import.js';
import type { Subscription } from './subscription.js';

export { analyzeMapping, checkMapping, compileMapping } from './map-source.js';

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
