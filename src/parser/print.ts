// A compact s-expression printer for ASTs of both languages: `(and (= type "track") (! x))`.
// Used by tests to assert AST shapes in one line, and handy in the REPL for "how did this parse".

import type { Expr, MapFile, PathExpr, PathSegment } from './ast.js';

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function segment(s: PathSegment, first: boolean): string {
  if (s.kind === 'wildcard') return '[*]';
  if (s.kind === 'index') return `[${s.index}]`;
  if (SIMPLE_KEY.test(s.name)) return first ? s.name : `.${s.name}`;
  return `[${JSON.stringify(s.name)}]`;
}

function path(p: PathExpr): string {
  const root = p.root.kind === 'variable' ? `$${p.root.name}` : '';
  const segs = p.segments.map((s, i) => segment(s, i === 0 && root === '')).join('');
  return root === '' && segs === '' ? '$' : root + segs;
}

/** One-line s-expression of an expression. Strings keep their quote style: `"a"` vs `'a'`. */
export function toSexpr(e: Expr): string {
  switch (e.kind) {
    case 'path':
      return path(e);
    case 'literal':
      if (typeof e.value === 'string') return e.quote === "'" ? `'${e.value}'` : JSON.stringify(e.value);
      return String(e.value);
    case 'list':
      return `[${e.items.map(toSexpr).join(' ')}]`;
    case 'paren':
      return `(paren ${toSexpr(e.expr)})`;
    case 'not':
      return `(! ${toSexpr(e.operand)})`;
    case 'compare':
      return `(${e.op} ${toSexpr(e.left)} ${toSexpr(e.right)})`;
    case 'logical':
      return `(${e.op} ${e.operands.map(toSexpr).join(' ')})`;
    case 'call':
      return `(${e.piped ? '|' : ''}${e.name}${e.args.map((a) => ` ${toSexpr(a)}`).join('')})`;
    case 'object':
      return `{${e.entries.map((en) => `${SIMPLE_KEY.test(en.key) ? en.key : JSON.stringify(en.key)}: ${toSexpr(en.value)}`).join(', ')}}`;
    case 'template':
      return `(tpl${e.parts.map((p) => ` ${typeof p === 'string' ? JSON.stringify(p) : toSexpr(p)}`).join('')})`;
    case 'coalesce':
      return `(${e.op} ${toSexpr(e.left)} ${toSexpr(e.right)})`;
    case 'if':
      return `(if ${toSexpr(e.cond)} ${toSexpr(e.then)}${e.else ? ` ${toSexpr(e.else)}` : ''})`;
    case 'case': {
      const subject = e.subject ? ` ${toSexpr(e.subject)}` : '';
      const branches = e.branches.map((b) => ` (when [${b.when.map(toSexpr).join(' ')}] ${toSexpr(b.then)})`).join('');
      return `(case${subject}${branches}${e.else ? ` (else ${toSexpr(e.else)})` : ''})`;
    }
    case 'each':
      return `(each ${toSexpr(e.list)} $${e.variable} ${toSexpr(e.body)})`;
    case 'omit':
      return 'omit';
    case 'catch':
      return `(catch ${toSexpr(e.expr)} ${toSexpr(e.fallback)})`;
  }
}

/** Multi-line summary of a MapFile: headers, then one statement per line, then example titles. */
export function mapFileToText(f: MapFile): string {
  const out: string[] = [];
  if (f.target) out.push(`target ${f.target.name}`);
  if (f.title) out.push(`title ${JSON.stringify(f.title.value)}`);
  if (f.when) out.push(`when ${toSexpr(f.when.expr)}`);
  for (const s of f.statements) {
    if (s.kind === 'let') out.push(`let $${s.name} = ${toSexpr(s.value)}`);
    else out.push(`${s.field.join('.')} = ${toSexpr(s.value)}${s.guard ? ` when ${toSexpr(s.guard)}` : ''}`);
  }
  for (const x of f.examples)
    out.push(`example ${JSON.stringify(x.title)}${x.input ? ` input=${toSexpr(x.input)}` : ''}${x.fields ? ` fields=${toSexpr(x.fields)}` : ''}${x.body ? ` body=${toSexpr(x.body)}` : ''}`);
  return out.join('\n');
}
