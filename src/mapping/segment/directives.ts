// mapping-kit JSON values → .map expressions, directive by directive, preserving mapping-kit's
// semantics (read from @segment/actions-core's mapping-kit/index.js): what is truthy where, what
// a missing option does, what a non-string value gives. Problems become SEG diagnostics.

import type { Code } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Expr, LetStmt } from '../../parser/ast.js';
import { isRecord } from '../../evaluator/value.js';
import { parseDottedPath } from '../paths.js';
import { NO_SPAN, call, coalesce, ifExpr, lit, not, notNull, obj, omit, path, type Root } from './build.js';
import { liquidToExpr } from './liquid.js';
import { templateParts } from './template.js';

/** State of one import: diagnostics, hoisted `let`s (from `@transform`), fresh variable names. */
export interface ImportContext {
  diagnostics: Diagnostic[];
  lets: LetStmt[];
  names: Set<string>;
}

/** Where a value sits: its JSON pointer (for messages), its path root, and whether it is inside `@arrayPath`. */
interface Place {
  pointer: string;
  root: Root;
  inItem: boolean;
}

const MAX_PATTERN_LENGTH = 10; // mapping-kit MAX_PATTERN_LENGTH / MAX_REPLACEMENT_LENGTH

function report(ctx: ImportContext, code: Code, at: Place, message: string, hint?: string): Expr {
  const d: Diagnostic = { code, severity: 'error', message: `${at.pointer || '/'}: ${message}`, span: NO_SPAN };
  if (hint) d.hint = hint;
  ctx.diagnostics.push(d);
  return omit();
}

function fresh(ctx: ImportContext, base: string): string {
  let name = base;
  for (let i = 2; ctx.names.has(name); i++) name = `${base}${i}`;
  ctx.names.add(name);
  return name;
}

const at = (place: Place, key: string): Place => ({ ...place, pointer: `${place.pointer}/${key}` });

/** mapping-kit's isDirective: an object whose keys are one or more `@…` keys (plus `_metadata`). */
function directiveKeys(v: Record<string, unknown>): string[] | undefined {
  const keys = Object.keys(v);
  const at = keys.filter((k) => k.startsWith('@'));
  if (at.length === 0) return undefined;
  return keys.every((k) => k.startsWith('@') || k === '_metadata') ? at : [];
}

/** Resolves any mapping value: directives, objects (keys resolved), arrays, plain JSON. */
export function importValue(v: unknown, ctx: ImportContext, place: Place): Expr {
  if (Array.isArray(v)) return { kind: 'list', items: v.map((item, i) => importValue(item, ctx, at(place, String(i)))), span: NO_SPAN };
  if (isRecord(v)) {
    const keys = directiveKeys(v);
    if (keys === undefined) return obj(Object.keys(v).map((k) => [k, importValue(v[k], ctx, at(place, k))]));
    if (keys.length !== 1) return report(ctx, 'SEG003', place, 'a directive object has exactly one `@` key and nothing else');
    return importDirective(keys[0] as string, v[keys[0] as string], ctx, at(place, keys[0] as string));
  }
  if (typeof v === 'string') return lit(v, v.includes('{{') ? "'" : '"');
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return lit(v);
  return report(ctx, 'SEG001', place, 'not a JSON value');
}

/** A value that must be a string or a directive (`@path`, `@template`, `@replace` value …). */
function stringOrDirective(v: unknown, ctx: ImportContext, place: Place, what: string): Expr | undefined {
  if (typeof v === 'string') return undefined;
  if (isRecord(v) && directiveKeys(v)?.length === 1) return importValue(v, ctx, place);
  report(ctx, 'SEG003', place, `${what} must be a string or a directive`);
  return omit();
}

function pathFromString(text: string, ctx: ImportContext, place: Place): Expr {
  const segments = parseDottedPath(text);
  if (typeof segments === 'string') return report(ctx, 'SEG009', place, segments);
  return path(place.root, segments);
}

function options(v: unknown, ctx: ImportContext, place: Place, name: string): Record<string, unknown> | undefined {
  if (isRecord(v)) return v;
  report(ctx, 'SEG003', place, `${name} needs an object of options`);
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function importIf(v: unknown, ctx: ImportContext, place: Place): Expr {
  const o = options(v, ctx, place, '@if');
  if (!o) return omit();
  if (!o.exists && !o.blank) return report(ctx, 'SEG003', place, '@if needs an "exists" or a "blank" key');
  const useExists = o.exists !== undefined;
  const subject = useExists ? o.exists : o.blank;
  const x = importValue(subject, ctx, at(place, useExists ? 'exists' : 'blank'));
  // mapping-kit: `then` is used when defined; `else` only when truthy
  const then = o.then !== undefined ? importValue(o.then, ctx, at(place, 'then')) : undefined;
  const otherwise = o.else ? importValue(o.else, ctx, at(place, 'else')) : undefined;
  if (useExists) {
    if (then && sameJson(o.then, o.exists)) return coalesce('??', x, otherwise ?? omit()); // the common case
    return ifExpr(notNull(x), then ?? omit(), otherwise);
  }
  // `blank` is JavaScript's `x == ""` (0, false and [] are blank, {} is not): stated with segment_blank
  return ifExpr(not(call('segment_blank', x)), then ?? omit(), otherwise);
}

function importCase(v: unknown, ctx: ImportContext, place: Place): Expr {
  const o = options(v, ctx, place, '@case');
  if (!o) return omit();
  if (!o.operator) return report(ctx, 'SEG003', place, '@case needs an "operator" key');
  if (o.operator !== 'lower' && o.operator !== 'upper') return report(ctx, 'SEG003', at(place, 'operator'), 'operator must be "lower" or "upper"');
  if (!o.value) return omit(); // mapping-kit returns nothing for a falsy value
  const x = stringOrDirective(o.value, ctx, at(place, 'value'), '@case value') ?? lit(o.value as string);
  return call(o.operator, x);
}

function importReplace(v: unknown, ctx: ImportContext, place: Place): Expr {
  const o = options(v, ctx, place, '@replace');
  if (!o) return omit();
  const pattern = o.pattern;
  const replacement = o.replacement ?? '';
  if (typeof pattern !== 'string' || pattern === '') return report(ctx, 'SEG003', at(place, 'pattern'), '@replace needs a non-empty string "pattern"');
  if (typeof replacement !== 'string') return report(ctx, 'SEG003', at(place, 'replacement'), '"replacement" must be a string');
  for (const [key, text] of [['pattern', pattern], ['replacement', replacement], ['pattern2', o.pattern2], ['replacement2', o.replacement2]] as const) {
    if (typeof text === 'string' && text.length > MAX_PATTERN_LENGTH) {
      return report(ctx, 'SEG008', at(place, key), `"${key}" is ${text.length} characters; Segment rejects more than ${MAX_PATTERN_LENGTH}`, 'use `replace(x, find, with)` in a .map file: it has no length limit');
    }
  }
  const ignoreCase = o.ignorecase ?? false;
  const global = o.global ?? true;
  if (typeof ignoreCase !== 'boolean' || typeof global !== 'boolean') return report(ctx, 'SEG003', place, '"ignorecase" and "global" must be true or false');
  if (!o.value) return omit();
  const x = stringOrDirective(o.value, ctx, at(place, 'value'), '@replace value') ?? lit(o.value as string);
  const flags: Array<[string, Expr]> = [];
  if (!global) flags.push(['all', lit(false)]);
  if (ignoreCase) flags.push(['ignore_case', lit(true)]);
  const step = (input: Expr, p: string, r: string) => call('replace', input, lit(p), lit(r), ...(flags.length ? [obj(flags)] : []));
  let out = step(x, pattern, replacement);
  if (o.pattern2 && typeof o.pattern2 === 'string') {
    const r2 = o.replacement2 ?? '';
    if (typeof r2 === 'string') out = step(out, o.pattern2, r2);
  }
  // mapping-kit gives "" for a value that is not a string, number or bool (missing included)
  return coalesce('??', out, lit(''));
}

function importArrayPath(v: unknown, ctx: ImportContext, place: Place): Expr {
  if (!Array.isArray(v)) return report(ctx, 'SEG003', place, '@arrayPath needs [path, itemShape]');
  const [p, shape] = v as [unknown, unknown];
  const list = typeof p === 'string' ? pathFromString(p, ctx, at(place, '0')) : importValue(p, ctx, at(place, '0'));
  if (!isRecord(shape) || Object.keys(shape).length === 0) return list;
  // the item shape reads each item as its own root
  const variable = fresh(ctx, 'item');
  const body = importValue(shape, ctx, { pointer: `${place.pointer}/1`, root: { kind: 'variable', name: variable }, inItem: true });
  return { kind: 'each', list, variable, body, span: NO_SPAN };
}

function importFlatten(v: unknown, ctx: ImportContext, place: Place): Expr {
  const o = options(v, ctx, place, '@flatten');
  if (!o) return omit();
  if (!o.separator || typeof o.separator !== 'string') return report(ctx, 'SEG003', at(place, 'separator'), '@flatten needs a string "separator"');
  // mapping-kit's flattenObject(x) is flatten({ "": x }): a non-object gives { "": x }, missing gives {}
  const x = obj([['', importValue(o.value, ctx, at(place, 'value'))]]);
  const args: Expr[] = [x, lit(o.separator)];
  if (o.omitArrays) args.push(obj([['arrays', lit(false)]]));
  return call('flatten', ...args);
}

function importJson(v: unknown, ctx: ImportContext, place: Place): Expr {
  const o = options(v, ctx, place, '@json');
  if (!o) return omit();
  if (!o.mode) return report(ctx, 'SEG003', place, '@json needs a "mode" key');
  if (!o.value) return report(ctx, 'SEG003', place, '@json needs a "value" key');
  const x = importValue(o.value, ctx, at(place, 'value'));
  if (o.mode === 'encode') return call('to_json', x);
  // decode: bad text (or a non-string) gives the input back
  if (o.mode === 'decode') return { kind: 'catch', expr: call('parse_json', x), fallback: x, span: NO_SPAN };
  return report(ctx, 'SEG003', at(place, 'mode'), 'mode must be "encode" or "decode"');
}

function importMerge(v: unknown, ctx: ImportContext, place: Place): Expr {
  const o = options(v, ctx, place, '@merge');
  if (!o) return omit();
  if (o.direction !== 'left' && o.direction !== 'right') return report(ctx, 'SEG003', at(place, 'direction'), '@merge needs "direction": "left" or "right"');
  if (!Array.isArray(o.objects)) return report(ctx, 'SEG003', at(place, 'objects'), '@merge needs an "objects" array');
  const objects = o.objects.map((x, i) => importValue(x, ctx, at(place, `objects/${i}`)));
  if (o.direction === 'left') objects.reverse();
  // Object.assign({}, …) is an object even when every input is missing
  return coalesce('??', call('merge', ...objects), obj([]));
}

function importTransform(v: unknown, ctx: ImportContext, place: Place): Expr {
  const o = options(v, ctx, place, '@transform');
  if (!o) return omit();
  if (!isRecord(o.apply) || !o.mapping || !isRecord(o.mapping)) return report(ctx, 'SEG003', place, '@transform needs "apply" and "mapping" objects');
  if (place.inItem) return report(ctx, 'SEG010', place, '@transform inside @arrayPath has no .map form', 'move the @transform out of the item shape');
  const stage = fresh(ctx, 'stage');
  const value = importValue(o.apply, ctx, at(place, 'apply'));
  ctx.lets.push({ kind: 'let', name: stage, nameSpan: NO_SPAN, value, span: NO_SPAN });
  return importValue(o.mapping, ctx, { pointer: `${place.pointer}/mapping`, root: { kind: 'variable', name: stage }, inItem: false });
}

function importDirective(name: string, v: unknown, ctx: ImportContext, place: Place): Expr {
  switch (name) {
    case '@path': {
      const dynamic = stringOrDirective(v, ctx, place, '@path');
      return dynamic ? call('get', path(place.root, []), dynamic) : pathFromString(v as string, ctx, place);
    }
    case '@template': {
      const dynamic = stringOrDirective(v, ctx, place, '@template');
      if (dynamic) return report(ctx, 'SEG010', place, 'a @template computed by another directive has no .map form', 'write the template text directly');
      const parts = templateParts(v as string, place.root);
      if (typeof parts === 'string') return report(ctx, 'SEG009', place, parts);
      if (parts.every((p) => typeof p === 'string')) return lit(parts.join(''), "'");
      return { kind: 'template', parts, span: NO_SPAN };
    }
    case '@literal':
      return importValue(v, ctx, place);
    case '@if':
      return importIf(v, ctx, place);
    case '@case':
      return importCase(v, ctx, place);
    case '@replace':
      return importReplace(v, ctx, place);
    case '@arrayPath':
      return importArrayPath(v, ctx, place);
    case '@flatten':
      return importFlatten(v, ctx, place);
    case '@json':
      return importJson(v, ctx, place);
    case '@merge':
      return importMerge(v, ctx, place);
    case '@transform':
      return importTransform(v, ctx, place);
    case '@excludeWhenNull':
      return call('compact', importValue(v, ctx, place));
    case '@liquid':
      if (typeof v !== 'string') return report(ctx, 'SEG003', place, '@liquid needs a template string');
      return liquidToExpr(v, place.root, (code, message, hint) => report(ctx, code, place, message, hint));
    default:
      return report(ctx, 'SEG002', place, `\`${name}\` is not a mapping-kit directive`, 'directives: @path @template @literal @if @case @replace @arrayPath @flatten @json @merge @transform @excludeWhenNull @liquid');
  }
}

/** The place of a top-level mapping field. */
export function fieldPlace(field: string): Place {
  return { pointer: `/mapping/${field}`, root: { kind: 'event' }, inItem: false };
}
