// The mapping compiler: a checked MapFile AST → a frozen Subscription (trigger + mapper). Merges
// the action's default mapping statement-wise, compiles the trigger, evaluates `example` blocks.
// Shared by `.map` files and the Segment JSON importer; nothing here runs per event.

import { defaultMapFile } from '../actions/index.js';
import type { ActionDefinition, ActionKey } from '../actions/types.js';
import { bySeverityThenPosition, hasErrors, spanAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compileExpr, constantOf } from '../evaluator/compile.js';
import { analyzeParsedTrigger, makeTrigger, type TriggerAnalysis } from '../evaluator/trigger.js';
import type { AssignStmt, Expr, LetStmt, MapFile } from '../parser/ast.js';
import { collectReads } from '../parser/walk.js';
import { checkStatements, checkTarget, type CheckOptions } from './check.js';
import { defaultProgram } from './defaults.js';
import { fieldValidator } from './field-validation.js';
import { printExpr } from './print.js';
import { buildMapper, type Step } from './program.js';
import { compileStatements, mappingContext } from './statements.js';
import type { FieldInfo, MappingExample, Subscription } from './subscription.js';

/** How the source of a MapFile is known: for spans of the trigger, titles and `toMapSource()`. */
export interface CompileOptions {
  /** The `.map` text the AST came from ('' for imported JSON). */
  source: string;
  filename?: string;
  /** `toMapSource()` text; default: `source`. */
  mapSource?: () => string;
  /** Whether statement spans are real `.map` positions (false for imported JSON: field errors carry no line). */
  lines?: boolean;
  /** The parser reported syntax errors: some statements may be missing from the AST. */
  partial?: boolean;
}

/** The result of analysing a MapFile: every diagnostic (errors first), and the Subscription when there are no errors. */
export interface MappingAnalysis {
  diagnostics: Diagnostic[];
  subscription?: Subscription;
}

const defaultTriggers = new Map<ActionKey, TriggerAnalysis>();

/** The action's default trigger, compiled from its default.map's `when` as the registry parsed it (once). */
function defaultTrigger(action: ActionDefinition): TriggerAnalysis {
  let t = defaultTriggers.get(action.key);
  if (!t) {
    const when = defaultMapFile(action).when as NonNullable<MapFile['when']>;
    t = analyzeParsedTrigger(action.defaultTrigger, when.expr, action.defaultMapping, when.span.start, when.span.end);
    defaultTriggers.set(action.key, t);
  }
  return t;
}

/**
 * The `when` header's trigger, from the AST its parser made (the `.map` parser, or the Segment
 * importer): no second parse. In a `.map` file its spans are file positions; an imported trigger's
 * are positions in its own text. Line and column are taken from the whole file, as for every diagnostic.
 */
function whenTrigger(when: NonNullable<MapFile['when']>, options: CompileOptions): { analysis: TriggerAnalysis; diagnostics: Diagnostic[] } {
  const inFile = options.lines !== false;
  const analysis = inFile
    ? analyzeParsedTrigger(when.source, when.expr, options.source, when.span.start, when.span.end)
    : analyzeParsedTrigger(when.source, when.expr, when.source, 0, when.source.length);
  const text = inFile ? options.source : '';
  return { analysis, diagnostics: analysis.diagnostics.map((d) => ({ ...d, span: spanAt(text, d.span.start, d.span.end) })) };
}

/** Evaluates a constant expression of an example block (JSON written in .map syntax). */
function constantValue(e: Expr | undefined, sink: Diagnostic[], what: string): unknown {
  if (!e) return undefined;
  const closure = compileExpr(e, mappingContext(sink));
  const c = constantOf(closure);
  if (!c) {
    sink.push({ code: 'MAP109', severity: 'error', message: `example \`${what}\` must be constant JSON`, span: e.span, hint: 'no paths, calls or templates inside examples' });
    return undefined;
  }
  return c.value;
}

function titleFrom(file: MapFile, options: CompileOptions, action: ActionDefinition): string {
  if (file.title) return file.title.value;
  if (options.filename) {
    const base = options.filename.split(/[\\/]/).pop() ?? options.filename;
    return base.replace(/\.map$/, '');
  }
  return action.title;
}

/** Checks and compiles a parsed `.map` file. Never throws on user input. */
export function analyzeMapFile(file: MapFile, options: CompileOptions): MappingAnalysis {
  const diagnostics: Diagnostic[] = [];
  const action = checkTarget(file, diagnostics);
  if (!action) return { diagnostics: diagnostics.sort(bySeverityThenPosition) };

  let trigger: TriggerAnalysis;
  if (file.when) {
    const found = whenTrigger(file.when, options);
    trigger = found.analysis;
    diagnostics.push(...found.diagnostics);
  } else trigger = defaultTrigger(action);

  const defaults = defaultProgram(action);
  const checkOptions: CheckOptions = { defaultFields: defaults.fields, partial: options.partial === true };
  if (trigger.ast) checkOptions.trigger = trigger.ast;
  checkStatements(file, action, checkOptions, diagnostics);

  const known = file.statements.filter((s) => s.kind === 'let' || Object.hasOwn(action.fields, s.field[0] as string));
  const ctx = mappingContext(diagnostics);
  const userSteps = compileStatements(known, ctx, options.lines ?? true);

  // statement-wise merge: default statements for fields the file does not assign as a whole
  const whole = new Set(file.statements.filter((s): s is AssignStmt => s.kind === 'assign' && s.field.length === 1).map((s) => s.field[0] as string));
  const steps: Step[] = [];
  const infos: FieldInfo[] = [];
  const readExprs: Expr[] = [];
  defaults.statements.forEach((stmt, i) => {
    if (stmt.kind === 'assign' && whole.has(stmt.field[0] as string)) return;
    steps.push(defaults.steps[i] as Step);
    readExprs.push(stmt.value);
    infos.push(fieldInfo(stmt, 'default'));
  });
  known.forEach((stmt, i) => {
    steps.push(userSteps[i] as Step);
    readExprs.push(stmt.value);
    if (stmt.kind === 'assign' && stmt.guard) readExprs.push(stmt.guard);
    infos.push(fieldInfo(stmt, 'mapping', options.lines ?? true));
  });

  const examples: MappingExample[] = file.examples.map((ex) => {
    if (!ex.input) diagnostics.push({ code: 'MAP109', severity: 'error', message: `example "${ex.title}" has no \`input\``, span: ex.span });
    const out: { -readonly [K in keyof MappingExample]: MappingExample[K] } = { title: ex.title, input: constantValue(ex.input, diagnostics, 'input'), line: ex.span.line };
    if (ex.fields) out.fields = constantValue(ex.fields, diagnostics, 'fields');
    if (ex.body) out.body = constantValue(ex.body, diagnostics, 'body');
    return Object.freeze(out);
  });

  diagnostics.sort(bySeverityThenPosition);
  if (hasErrors(diagnostics) || !trigger.predicate || !trigger.ast) return { diagnostics };

  const lines = new Map<string, number>();
  for (const s of steps) if (s.kind === 'assign' && s.line !== undefined) lines.set(s.field, s.line);
  // the expression of each whole-field assignment (the last one wins), for "has no value" errors
  const exprs = new Map<string, string>();
  for (const info of infos) if (info.let !== true && !info.field.includes('.')) exprs.set(info.field, info.expr);
  const map = buildMapper(steps, fieldValidator(action.fields), (field) => lines.get(field), (field) => exprs.get(field));
  const mapSource = options.mapSource ?? (() => options.source);
  const subscription: Subscription = Object.freeze({
    title: titleFrom(file, options, action),
    ...(options.filename !== undefined ? { filename: options.filename } : {}),
    action: action.key,
    trigger: makeTrigger(trigger.source, trigger.predicate, trigger.ast),
    map,
    toMapSource: mapSource,
    examples: Object.freeze(examples),
    fields: Object.freeze(infos),
    reads: Object.freeze(collectReads(readExprs)),
  });
  return { diagnostics, subscription };
}

function fieldInfo(stmt: AssignStmt | LetStmt, origin: 'mapping' | 'default', withLine = false): FieldInfo {
  const info: { -readonly [K in keyof FieldInfo]: FieldInfo[K] } =
    stmt.kind === 'let' ? { field: `$${stmt.name}`, expr: printExpr(stmt.value), origin, let: true } : { field: stmt.field.join('.'), expr: printExpr(stmt.value), origin };
  if (stmt.kind === 'assign' && stmt.guard) info.guard = printExpr(stmt.guard);
  if (withLine) info.line = stmt.span.line;
  return Object.freeze(info);
}
