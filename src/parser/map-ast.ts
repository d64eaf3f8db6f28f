// CST → AST for the .map expression constructs (coalesce, catch, pipes, paths with brackets and
// `$` roots, objects, templates, if/case/each/omit). Extends the FQL builder; chains are built
// with loops, so long `??` / `|` / `catch` chains never recurse here.

import type { CstNode, IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { CaseExpr, EachExpr, Expr, ObjectExpr, PathExpr, PathSegment } from './ast.js';
import { decodeIdentifier, ExprBuilder, isToken, type Children } from './ast-builder.js';
import type { LineMap } from './line-map.js';
import { decodeEscapes, hasTemplate, splitTemplate, type StringProblem } from './map-strings.js';
import { BlankCoalesce, MapRawString, MapString, NumberTok, Star, StringTok, Variable } from './tokens.js';

/** Parses the source range of a template expression (the .map parser re-entered on a slice). */
export type SubParse = (start: number, end: number) => Expr;

/** Builds .map expression ASTs; statements are assembled by map-file.ts. */
export class MapBuilder extends ExprBuilder {
  /** Inside `example` blocks strings are JSON: `{{` is text, never a template. */
  jsonMode = false;

  constructor(
    lines: LineMap,
    tokens: readonly IToken[],
    private readonly subParse: SubParse,
  ) {
    super(lines, tokens);
  }

  private report(problems: StringProblem[]): void {
    for (const p of problems) this.error(p.code, p.message, this.lines.span(p.start, p.end), p.hint);
  }

  /** `a catch b catch c` → `(a catch b) catch c`. */
  protected override expressionNode(node: CstNode): Expr {
    const parts = this.nodes(node.children as Children, 'coalesceExpr');
    let expr = this.build(parts[0], this.nodeSpan(node));
    for (let i = 1; i < parts.length; i++) {
      const fallback = this.build(parts[i]);
      expr = { kind: 'catch', expr, fallback, span: this.join(expr.span, fallback.span) };
    }
    return expr;
  }

  /** `x | f(a) | g` → `g(f(x, a))`, each call marked `piped`. */
  protected override operandNode(node: CstNode): Expr {
    const ch = node.children as Children;
    let expr = this.build(this.nodes(ch, 'unary')[0], this.nodeSpan(node));
    for (const target of this.nodes(ch, 'pipeTarget')) {
      const tch = target.children as Children;
      const name = this.toks(tch, 'Identifier')[0];
      const callArgs = this.nodes(tch, 'callArgs')[0];
      const extra = callArgs ? this.list(this.nodes(callArgs.children as Children, 'expressionList')[0]) : [];
      const nameSpan = name ? this.tokenSpan(name) : this.nodeSpan(target);
      expr = {
        kind: 'call',
        name: name ? decodeIdentifier(name.image) : '',
        nameSpan,
        args: [expr, ...extra],
        piped: true,
        span: this.join(expr.span, this.nodeSpan(target)),
      };
    }
    return expr;
  }

  protected override buildExtension(node: CstNode): Expr {
    const ch = node.children as Children;
    const span = this.nodeSpan(node);
    switch (node.name) {
      case 'coalesceExpr':
        return this.coalesce(node);
      case 'variablePath':
        return this.variablePath(node);
      case 'objectExpr': {
        const entries = this.nodes(ch, 'objectEntries')[0];
        return { kind: 'object', entries: entries ? this.entries(entries) : [], span };
      }
      case 'ifExpr': {
        const [cond, then, otherwise] = this.nodes(ch, 'expression').map((e) => this.build(e));
        return {
          kind: 'if',
          cond: cond ?? this.missing(span),
          then: then ?? this.missing(span),
          ...(otherwise ? { else: otherwise } : {}),
          span,
        };
      }
      case 'caseExpr':
        return this.caseExpr(node);
      case 'eachExpr':
        return this.eachExpr(node);
      case 'omitExpr':
        return { kind: 'omit', span };
      default:
        return this.missing(span);
    }
  }

  private coalesce(node: CstNode): Expr {
    const ch = node.children as Children;
    const parts = this.nodes(ch, 'orExpr');
    const ops = [...this.toks(ch, 'Coalesce'), ...this.toks(ch, 'BlankCoalesce')].sort((a, b) => a.startOffset - b.startOffset);
    let expr = this.build(parts[0], this.nodeSpan(node));
    for (let i = 1; i < parts.length; i++) {
      const right = this.build(parts[i]);
      const op = ops[i - 1];
      expr = { kind: 'coalesce', op: op && tokenMatcher(op, BlankCoalesce) ? '?:' : '??', left: expr, right, span: this.join(expr.span, right.span) };
    }
    return expr;
  }

  private caseExpr(node: CstNode): CaseExpr {
    const ch = node.children as Children;
    const span = this.nodeSpan(node);
    const exprs = this.nodes(ch, 'expression');
    const elseTok = this.toks(ch, 'Else')[0];
    // The subject precedes the first `when`; the else value follows `else`.
    const firstBranch = this.nodes(ch, 'caseBranch')[0];
    const branchStart = firstBranch?.location?.startOffset ?? Infinity;
    const subjectNode = exprs.find((e) => (e.location?.startOffset ?? 0) < branchStart);
    const elseNode = elseTok ? exprs.find((e) => (e.location?.startOffset ?? 0) > elseTok.startOffset) : undefined;
    const branches = this.nodes(ch, 'caseBranch').map((b) => {
      const bch = b.children as Children;
      const bspan = this.nodeSpan(b);
      return { when: this.list(this.nodes(bch, 'expressionList')[0]), then: this.build(this.nodes(bch, 'expression')[0], bspan), span: bspan };
    });
    return {
      kind: 'case',
      ...(subjectNode ? { subject: this.build(subjectNode) } : {}),
      branches,
      ...(elseNode ? { else: this.build(elseNode) } : {}),
      span,
    };
  }

  private eachExpr(node: CstNode): EachExpr {
    const ch = node.children as Children;
    const span = this.nodeSpan(node);
    const exprs = this.nodes(ch, 'expression');
    const variable = this.toks(ch, 'Variable')[0];
    const entries = this.nodes(ch, 'objectEntries')[0];
    const lcurly = this.toks(ch, 'LCurly')[0];
    let body: Expr;
    if (entries) body = { kind: 'object', entries: this.entries(entries), span: this.lines.span(lcurly?.startOffset ?? span.start, span.end) };
    else if (exprs[1]) body = this.build(exprs[1]);
    else body = { kind: 'object', entries: [], span: this.lines.span(lcurly?.startOffset ?? span.start, span.end) };
    return { kind: 'each', list: this.build(exprs[0], span), variable: variable ? variable.image.slice(1) : '', body, span };
  }

  /** Object entries; duplicate keys are an error (the later one would silently win). */
  entries(node: CstNode): ObjectExpr['entries'] {
    const out: ObjectExpr['entries'] = [];
    const seen = new Set<string>();
    for (const entry of this.nodes(node.children as Children, 'objectEntry')) {
      const ech = entry.children as Children;
      const keyNode = this.nodes(ech, 'objectKey')[0];
      const kch = keyNode?.children as Children | undefined;
      const keyTok = kch ? (kch['Identifier']?.[0] ?? kch['Keyword']?.[0] ?? kch['StringTok']?.[0]) : undefined;
      if (!isToken(keyTok)) continue;
      const key = this.keyText(keyTok);
      const keySpan = this.tokenSpan(keyTok);
      if (seen.has(key)) this.error('MAP010', `duplicate key \`${key}\` in an object`, keySpan, 'each key may appear once');
      seen.add(key);
      out.push({ key, keySpan, value: this.build(this.nodes(ech, 'expression')[0], keySpan) });
    }
    return out;
  }

  /** A key or index written as a name or a string: names lose escapes, strings are decoded (never templates). */
  keyText(t: IToken): string {
    if (!tokenMatcher(t, StringTok)) return decodeIdentifier(t.image);
    const closed = t.image.length >= 2 && t.image.endsWith(t.image[0] ?? '"');
    const end = t.startOffset + t.image.length - (closed ? 1 : 0);
    if (tokenMatcher(t, MapRawString) || !tokenMatcher(t, MapString)) return this.lines.source.slice(t.startOffset + 1, end);
    const problems: StringProblem[] = [];
    const text = decodeEscapes(this.lines.source, t.startOffset + 1, end, problems);
    this.report(problems);
    return text;
  }

  /** `'raw'`, `"json-escaped"`, or a template when a `"` string contains `{{`. */
  protected override stringLiteral(t: IToken, span: Span): Expr {
    if (!tokenMatcher(t, MapString)) {
      const raw = super.stringLiteral(t, span);
      return raw;
    }
    const start = t.startOffset + 1;
    const end = t.startOffset + t.image.length - 1;
    if (this.jsonMode || !hasTemplate(this.lines.source, start, end)) return { kind: 'literal', value: this.keyText(t), quote: '"', span };
    const problems: StringProblem[] = [];
    const parts = splitTemplate(this.lines.source, start, end, problems).map((p) => ('text' in p ? p.text : this.subParse(p.exprStart, p.exprEnd)));
    this.report(problems);
    return { kind: 'template', parts, span };
  }

  /** `name(args)` or a path `name.key[0]["k"][*]…` from the event. */
  protected override reference(node: CstNode): Expr {
    const ch = node.children as Children;
    const span = this.nodeSpan(node);
    const ident = this.toks(ch, 'Identifier')[0];
    if (!ident) return this.missing(span);
    const callArgs = this.nodes(ch, 'callArgs')[0];
    if (callArgs) {
      const args = this.list(this.nodes(callArgs.children as Children, 'expressionList')[0]);
      return { kind: 'call', name: decodeIdentifier(ident.image), nameSpan: this.tokenSpan(ident), args, span };
    }
    const first: PathSegment = { kind: 'key', name: decodeIdentifier(ident.image), span: this.tokenSpan(ident) };
    return { kind: 'path', root: { kind: 'event' }, segments: [first, ...this.tail(this.nodes(ch, 'pathTail')[0])], span };
  }

  private variablePath(node: CstNode): PathExpr {
    const ch = node.children as Children;
    const v = this.toks(ch, 'Variable')[0];
    const segments = this.tail(this.nodes(ch, 'pathTail')[0]);
    const root: PathExpr['root'] = v && tokenMatcher(v, Variable) ? { kind: 'variable', name: v.image.slice(1) } : { kind: 'event' };
    return { kind: 'path', root, segments, span: this.nodeSpan(node) };
  }

  /** Steps of a path tail in source order. */
  private tail(node: CstNode | undefined): PathSegment[] {
    if (!node) return [];
    const ch = node.children as Children;
    const steps = [...this.nodes(ch, 'dotKey'), ...this.nodes(ch, 'indexStep')].sort(
      (a, b) => (a.location?.startOffset ?? 0) - (b.location?.startOffset ?? 0),
    );
    return steps.map((step) => (step.name === 'dotKey' ? this.dotKey(step) : this.indexStep(step)));
  }

  private indexStep(node: CstNode): PathSegment {
    const ch = node.children as Children;
    const span = this.nodeSpan(node);
    const t = [...this.toks(ch, 'NumberTok'), ...this.toks(ch, 'StringTok'), ...this.toks(ch, 'Star')][0];
    if (!t) return { kind: 'wildcard', span };
    if (tokenMatcher(t, Star)) return { kind: 'wildcard', span };
    if (tokenMatcher(t, StringTok)) return { kind: 'key', name: this.keyText(t), span };
    const n = tokenMatcher(t, NumberTok) ? Number(t.image) : NaN;
    if (!Number.isSafeInteger(n)) {
      this.error('MAP009', `invalid index \`${t.image}\`: an index is a whole number`, this.tokenSpan(t), 'use `[0]`, `[-1]`, `["key"]` or `[*]`');
      return { kind: 'index', index: 0, span };
    }
    return { kind: 'index', index: n, span };
  }
}

