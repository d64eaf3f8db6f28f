// The Segment JSON front end: a subscription `{ name, subscribe, partnerAction, mapping }` →
// MapFile AST (the same AST a .map file parses to) → the mapping compiler. `toMapSource()`
// prints the AST as .map text.

import { getAction, actionKeys } from '../../actions/index.js';
import type { Code } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { suggestName } from '../check.js';
import { analyzeTrigger } from '../../evaluator/trigger.js';
import type { AssignStmt, LetStmt, MapFile } from '../../parser/ast.js';
import { isRecord } from '../../evaluator/value.js';
import { defaultProgram } from '../defaults.js';
import { NO_SPAN, omit } from './build.js';
import { fieldPlace, importValue, type ImportContext } from './directives.js';

/** A Segment subscription as exported from Segment (or the presets file). */
export interface SegmentSubscription {
  name?: string;
  subscribe?: string;
  partnerAction: string;
  mapping: Record<string, unknown>;
}

/** The MapFile of an imported subscription, and every SEG/FQL problem found. */
export interface SegmentImport {
  file: MapFile | undefined;
  diagnostics: Diagnostic[];
}

function problem(code: Code, message: string, hint?: string): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message, span: NO_SPAN };
  if (hint) d.hint = hint;
  return d;
}

/** Converts a Segment subscription to a MapFile AST. Never throws. */
export function segmentToMapFile(json: SegmentSubscription): SegmentImport {
  const diagnostics: Diagnostic[] = [];
  if (!isRecord(json) || typeof json.partnerAction !== 'string') {
    return { file: undefined, diagnostics: [problem('SEG001', 'a Segment subscription needs a string `partnerAction`')] };
  }
  if (!isRecord(json.mapping)) return { file: undefined, diagnostics: [problem('SEG001', '`mapping` must be an object of field → value')] };
  const action = getAction(json.partnerAction);
  if (!action) {
    const close = suggestName(json.partnerAction, actionKeys);
    return { file: undefined, diagnostics: [problem('SEG006', `\`${json.partnerAction}\` is not a Customer.io action`, `${close ? `did you mean \`${close}\`? ` : ''}actions: ${actionKeys.join(', ')}`)] };
  }
  if (Object.hasOwn(json.mapping, '__segment_internal_directive')) {
    diagnostics.push(problem('SEG010', 'root directives (`__segment_internal_directive`) are not supported', 'apply the directive to each field instead'));
  }
  const ctx: ImportContext = { diagnostics, lets: [], names: new Set() };
  const statements: Array<AssignStmt | LetStmt> = [];
  const mapped = new Set<string>();
  for (const key of Object.keys(json.mapping)) {
    if (key === '__segment_internal_directive') continue;
    if (!Object.hasOwn(action.fields, key)) {
      const close = suggestName(key, Object.keys(action.fields));
      diagnostics.push(problem('SEG007', `\`${key}\` is not a field of ${action.key}`, `${close ? `did you mean \`${close}\`? ` : ''}fields: ${Object.keys(action.fields).join(', ')}`));
      continue;
    }
    const value = importValue(json.mapping[key], ctx, fieldPlace(key));
    // `@transform` stages are `let`s placed just before the field that uses them
    statements.push(...ctx.lets.splice(0));
    statements.push({ kind: 'assign', field: [key], fieldSpan: NO_SPAN, value, span: NO_SPAN });
    mapped.add(key);
  }
  // a Segment mapping is complete: fields it leaves out are not mapped, so defaults are omitted explicitly
  for (const key of defaultProgram(action).fields) {
    if (!mapped.has(key)) statements.push({ kind: 'assign', field: [key], fieldSpan: NO_SPAN, value: omit(), span: NO_SPAN });
  }
  const file: MapFile = { kind: 'mapFile', target: { name: action.key, span: NO_SPAN }, statements, examples: [], span: NO_SPAN };
  if (typeof json.name === 'string') file.title = { value: json.name, span: NO_SPAN };
  if (typeof json.subscribe === 'string') {
    const source = json.subscribe.trim();
    const t = analyzeTrigger(source);
    if (t.ast) file.when = { expr: t.ast, source, span: NO_SPAN };
    else diagnostics.push(...t.diagnostics);
  } else if (json.subscribe !== undefined) diagnostics.push(problem('SEG001', '`subscribe` must be an FQL string'));
  return { file, diagnostics };
}
