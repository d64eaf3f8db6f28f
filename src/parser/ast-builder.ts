// CST → AST for the expression rules FQL and .map share (the step after the parser). Never
// throws on a CST that error recovery left incomplete: a missing part becomes a `null` literal
// (the caller discards the AST when there were syntax errors). Semantic syntax checks that the
// grammar accepts on purpose (chained comparisons, missing operators) are reported here.

import type { CstElement, CstNode, IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { CompareOp as CompareOpName, Expr, LiteralExpr, PathExpr, PathSegment } from './ast.js';
import type { LineMap } from './line-map.js';
import { describeToken } from './messages.js';
import { anyInRange } from './parse-errors.js';
import { Eq, False, Ge, Gt, In, isIdentPart, LBracket, Le, Lt, NotEq, NumberTok, StringTok, True, UnterminatedString } from './tokens.js';

export type Children = Record<string, CstElement[] | undefined>;

const NONE: readonly CstElement[] = Object.freeze([]);

export const isToken = (e: CstElement | undefined): e is IToken => !!e && 'image' in e;
export const isNode = (e: CstElement | undefined): e is CstNode => !!e && 'children' in e;

/** Resolves identifier escapes: `\x` is `x` for any code point (fql.md §2.3). */
export function decodeIdentifier(image: string): string {
  return image.includes('\\') ? image.replace(/\\(.)/gsu, '$1') : image;
}

const OPS: Array<[typeof Eq, CompareOpName]> = [
  [NotEq, '!='],
  [Eq, '='],
  [Le, '<='],
  [Lt, '<'],
  [Ge, '>='],
  [Gt, '>'],
  [In, 'in'],
];

/** Builds expression ASTs from CST nodes, collecting diagnostics. */
export class ExprBuilder {
  readonly diagnostics: Diagnostic[] = [];

  /** Offsets of errors already reported (lexical, syntax): no "missing operator" right after one. */
  knownErrors: readonly number[] = [];

  constructor(
    readonly lines: LineMap,
    readonly tokens: readonly IToken[],
  ) {}

  // ── helpers ───────────────────────────────────────────────────────────────────────────

  error(code: Code, message: string, span: Span, hint?: string): void {
    this.diagnostics.push({ code, severity: 'error', message, span, ...(hint ? { hint } : {}) });
  }

  tokenSpan(t: IToken): Span {
    return this.lines.span(t.startOffset, (t.endOffset ?? t.startOffset) + 1);
  }

  nodeSpan(n: CstNode): Span {
    const loc = n.location;
    return loc ? this.lines.span(loc.startOffset, (loc.endOffset ?? loc.startOffset) + 1) : this.lines.span(this.lines.source.length);
  }

  join(a: Span, b: Span): Span {
    return this.lines.span(a.start, Math.max(a.end, b.end));
  }

  /** The token starting at `offset` (binary search), for messages about an AST node. */
  tokenAt(offset: number): IToken | undefined {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tokens[mid] as IToken;
      if (t.startOffset === offset) return t;
      if (t.startOffset < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Children under a rule name are always nodes (Chevrotain keys them by rule), so no filtering. */
  nodes(ch: Children, name: string): CstNode[] {
    return (ch[name] ?? NONE) as CstNode[];
  }

  /** Children under a token type name are always tokens. */
  toks(ch: Children, name: string): IToken[] {
    return (ch[name] ?? NONE) as IToken[];
  }

  /** Nodes made up for parts error recovery could not produce. */
  private readonly placeholders = new WeakSet<Expr>();

  /** Placeholder for a part error recovery could not produce. */
  missing(span: Span): LiteralExpr {
    const node: LiteralExpr = { kind: 'literal', value: null, span };
    this.placeholders.add(node);
    return node;
  }

  /** Builds the AST of any expression-level CST node (dispatch on the rule name). */
  build(node: CstNode | undefined, fallback?: Span): Expr {
    if (!node) return this.missing(fallback ?? this.lines.span(this.lines.source.length));
    const ch = node.children as Children;
    switch (node.name) {
      case 'expression':
        return this.expressionNode(node);
      case 'primary':
        return this.buildFirstChild(node);
      case 'orExpr':
        return this.logical(node, 'or', this.nodes(ch, 'andExpr'));
      case 'andExpr':
        return this.logical(node, 'and', this.nodes(ch, 'comparison'));
      case 'comparison':
        return this.comparison(node);
      case 'operand':
        return this.operandNode(node);
      case 'unary':
        return this.unary(node);
      case 'parenExpr':
        return { kind: 'paren', expr: this.build(this.nodes(ch, 'expression')[0], this.nodeSpan(node)), span: this.nodeSpan(node) };
      case 'listExpr':
        return { kind: 'list', items: this.list(this.nodes(ch, 'expressionList')[0]), span: this.nodeSpan(node) };
      case 'literal':
        return this.literal(node);
      case 'reference':
        return this.reference(node);
      default:
        return this.buildExtension(node);
    }
  }

  /** FQL `expression` is just `orExpr`; .map adds `catch` and `??` levels. */
  protected expressionNode(node: CstNode): Expr {
    return this.buildFirstChild(node);
  }

  /** FQL `operand` is just `unary`; .map adds pipes. */
  protected operandNode(node: CstNode): Expr {
    return this.build(this.nodes(node.children as Children, 'unary')[0], this.nodeSpan(node));
  }

  /** Hook for the .map builder: rules FQL does not have. */
  protected buildExtension(node: CstNode): Expr {
    return this.missing(this.nodeSpan(node));
  }

  protected buildFirstChild(node: CstNode): Expr {
    const ch = node.children as Children;
    for (const key in ch) {
      const first = ch[key]?.[0];
      if (isNode(first)) return this.build(first);
    }
    return this.missing(this.nodeSpan(node));
  }

  list(node: CstNode | undefined): Expr[] {
    if (!node) return [];
    return this.nodes(node.children as Children, 'expression').map((e) => this.build(e));
  }

  private logical(node: CstNode, op: 'and' | 'or', parts: CstNode[]): Expr {
    if (parts.length === 1) return this.build(parts[0]);
    return { kind: 'logical', op, operands: parts.map((p) => this.build(p)), span: this.nodeSpan(node) };
  }

  private comparison(node: CstNode): Expr {
    const ch = node.children as Children;
    const operands = this.nodes(ch, 'operand');
    const ops = this.toks(ch, 'CompareOp');
    const left = this.build(operands[0], this.nodeSpan(node));
    const opTok = ops[0];
    if (!opTok) return left;
    if (ops.length > 1) {
      const second = ops[1] as IToken;
      const mid = operands[1] ? this.lines.source.slice(this.nodeSpan(operands[1]).start, this.nodeSpan(operands[1]).end) : 'x';
      this.error(
        'FQL103',
        `comparisons do not chain: unexpected \`${second.image}\` after a comparison`,
        this.tokenSpan(second),
        `compare twice and join with \`and\`: \`… ${opTok.image} ${mid} and ${mid} ${second.image} …\``,
      );
    }
    const op = OPS.find(([type]) => tokenMatcher(opTok, type))?.[1] ?? '=';
    const right = this.build(operands[1], this.tokenSpan(opTok));
    return { kind: 'compare', op, opSpan: this.tokenSpan(opTok), left, right, span: this.join(left.span, right.span) };
  }

  /** `!!x`: a MANY of bangs, built inside-out without recursion. */
  private unary(node: CstNode): Expr {
    const ch = node.children as Children;
    let expr = this.build(this.nodes(ch, 'primary')[0], this.nodeSpan(node));
    const bangs = this.toks(ch, 'Bang');
    for (let i = bangs.length - 1; i >= 0; i--) {
      const bang = bangs[i] as IToken;
      expr = { kind: 'not', operand: expr, span: this.lines.span(bang.startOffset, expr.span.end) };
    }
    return expr;
  }

  protected literal(node: CstNode): Expr {
    const ch = node.children as Children;
    const span = this.nodeSpan(node);
    let t: IToken | undefined;
    for (const key in ch) if (isToken(ch[key]?.[0])) t = ch[key]?.[0] as IToken;
    if (!t) return this.missing(span);
    if (tokenMatcher(t, StringTok)) return this.stringLiteral(t, span);
    if (tokenMatcher(t, NumberTok)) {
      const value = Number(t.image);
      return { kind: 'literal', value: Number.isFinite(value) ? value : 0, span };
    }
    if (tokenMatcher(t, True)) return { kind: 'literal', value: true, span };
    if (tokenMatcher(t, False)) return { kind: 'literal', value: false, span };
    return { kind: 'literal', value: null, span };
  }

  /** FQL strings: the text between the quotes, no escapes (fql.md §2.5). */
  protected stringLiteral(t: IToken, span: Span): Expr {
    const q = t.image[0] === "'" ? "'" : '"';
    const closed = t.image.length >= 2 && t.image.endsWith(q);
    return { kind: 'literal', value: t.image.slice(1, closed ? -1 : undefined), quote: q, span };
  }

  /** FQL `name(args)` or `name.key…` (the .map builder overrides for brackets and `$` roots). */
  protected reference(node: CstNode): Expr {
    const ch = node.children as Children;
    const span = this.nodeSpan(node);
    const ident = this.toks(ch, 'Identifier')[0];
    if (!ident) return this.missing(span);
    const callArgs = this.nodes(ch, 'callArgs')[0];
    if (callArgs) {
      const args = this.list(this.nodes(callArgs.children as Children, 'expressionList')[0]);
      return { kind: 'call', name: decodeIdentifier(ident.image), nameSpan: this.tokenSpan(ident), args, span };
    }
    const segments: PathSegment[] = [{ kind: 'key', name: decodeIdentifier(ident.image), span: this.tokenSpan(ident) }];
    for (const dk of this.nodes(ch, 'dotKey')) segments.push(this.dotKey(dk));
    const path: PathExpr = { kind: 'path', root: { kind: 'event' }, segments, span };
    return path;
  }

  /** `.key` → a key segment (escapes resolved). */
  dotKey(node: CstNode): PathSegment {
    const ch = node.children as Children;
    const t = ch['Identifier']?.[0] ?? ch['Keyword']?.[0];
    if (!isToken(t)) return { kind: 'key', name: '', span: this.nodeSpan(node) };
    return { kind: 'key', name: decodeIdentifier(t.image), span: this.tokenSpan(t) };
  }

  /**
   * Reports the extra top-level expressions of `a b` (two operands, no operator) with a hint
   * fitting the most likely intent, and returns the first one.
   */
  reportJuxtaposed(parts: Expr[], commas: IToken[]): void {
    // Parts, commas and (sorted) known errors are walked with cursors / binary search, so a
    // 256 KB trigger of 50,000 juxtaposed operands stays linear (scanning each list per part did not).
    const known = [...this.knownErrors].sort((a, b) => a - b);
    let c = 0;
    for (let i = 1; i < parts.length; i++) {
      const prev = parts[i - 1] as Expr;
      const cur = parts[i] as Expr;
      const first = this.tokenAt(cur.span.start);
      const found = describeToken(first);
      while (c < commas.length && (commas[c] as IToken).startOffset < prev.span.end) c++;
      const comma = c < commas.length && (commas[c] as IToken).startOffset < cur.span.start ? commas[c] : undefined;
      const single = (e: Expr): string | undefined =>
        e.kind === 'path' && e.segments.length === 1 && e.segments[0]?.kind === 'key' ? e.segments[0].name : undefined;
      const curName = single(cur);
      const adjacent = cur.span.start === prev.span.end;

      if (curName !== undefined && ['and', 'or'].includes(curName.toLowerCase())) {
        this.error('FQL104', `unexpected name \`${curName}\` between two conditions`, cur.span, `\`${curName}\` must be lowercase: \`${curName.toLowerCase()}\``);
        i++; // the condition after it is its right operand, not another mistake
        continue;
      }
      if (single(prev) === 'not') {
        this.error('FQL104', `unexpected ${found} after the name \`not\``, cur.span, '`not` is not FQL, use `!`');
        continue;
      }
      if (first && tokenMatcher(first, UnterminatedString)) continue; // already reported by the lexer
      const prevStart = this.placeholders.has(prev) ? 0 : prev.span.start;
      if (anyInRange(known, prevStart, cur.span.start)) continue;
      if (first && tokenMatcher(first, LBracket) && adjacent && isIdentPart(this.lines.source.charCodeAt(prev.span.end - 1))) {
        const close = this.lines.source.indexOf(']', cur.span.start);
        const text = this.lines.source.slice(prev.span.start, close < 0 ? cur.span.end : close + 1);
        this.error('FQL107', `\`${text}\` is not a path: FQL has no indexing`, cur.span, 'brackets only make lists; use the list whole with `in`, `=` or `length()`');
        continue;
      }
      if (prev.kind === 'path' && cur.kind === 'paren' && prev.segments.length > 1) {
        this.error('FQL107', 'only a function name can be called, not a dotted path', cur.span, 'function names have no dots: `contains(properties.x, "a")`');
        continue;
      }
      if (prev.kind === 'compare' && (prev.op === '=' || prev.op === '!=') && single(prev.right) !== undefined && cur.kind === 'path') {
        const left = this.lines.source.slice(prev.left.span.start, prev.left.span.end);
        const words = this.lines.source.slice(prev.right.span.start, cur.span.end);
        this.error('FQL104', `expected \`and\`, \`or\` or an operator before ${found}`, cur.span, `strings need quotes: \`${left} ${prev.op} "${words}"\``);
        continue;
      }
      const hint = comma ? 'conditions are joined with `and` or `or`, not `,`' : undefined;
      this.error('FQL104', `two operands with no operator between them: expected \`and\`, \`or\` or a comparison before ${found}`, cur.span, hint);
    }
  }
}
