// The .map printer: AST → readable `.map` text. Used by `toMapSource()` of imported Segment
// subscriptions, by `explain` (effective mapping) and by round-trip tests (print → parse → same).

import type { AssignStmt, ExampleBlock, Expr, LetStmt, MapFile, PathExpr } from '../parser/ast.js';
import { fqlForMapHeader } from '../parser/fql-for-map.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// words that cannot start a path (FQL keywords and .map keywords)
const RESERVED = new Set(['and', 'or', 'in', 'null', 'true', 'false', 'if', 'then', 'else', 'case', 'when', 'end', 'each', 'as', 'omit', 'catch', 'let', 'target', 'title', 'example']);

/** A key as an FQL name: plain when identifier-shaped, else every other character escaped with `\`. */
export function printKey(key: string): string {
  if (IDENT.test(key)) return key;
  let out = '';
  let first = true;
  for (const ch of key) {
    const plain = first ? /[A-Za-z_]/.test(ch) : /[A-Za-z0-9_-]/.test(ch);
    out += plain ? ch : `\\${ch}`;
    first = false;
  }
  return out;
}

/**
 * A string literal: double quotes with JSON escapes, or single quotes when it holds `{{` (so it
 * is not a template). Text with both `{{` and `'` becomes a template whose `{{` are written as
 * `{{ '{{' }}` parts, which reads back as the same text.
 */
export function printString(s: string, quote?: '"' | "'"): string {
  if ((quote === "'" || s.includes('{{')) && !s.includes("'")) return `'${s}'`;
  if (!s.includes('{{')) return JSON.stringify(s);
  return `"${s.split('{{').map((part) => JSON.stringify(part).slice(1, -1)).join("{{ '{{' }}")}"`;
}

function printPath(node: PathExpr): string {
  let out = node.root.kind === 'variable' ? `$${node.root.name}` : '';
  node.segments.forEach((seg, i) => {
    if (seg.kind === 'index') out += `[${seg.index}]`;
    else if (seg.kind === 'wildcard') out += '[*]';
    else if (seg.name === '') out += i === 0 && node.root.kind === 'event' ? '$[""]' : '[""]';
    else if (i === 0 && node.root.kind === 'event') {
      // a reserved word needs the `$.` root to read as a path
      out += RESERVED.has(seg.name) ? `$.${printKey(seg.name)}` : printKey(seg.name);
    } else out += `.${printKey(seg.name)}`;
  });
  if (out === '') return '$';
  return out;
}

/** Kinds that never need parentheses as an operand. */
function isAtom(node: Expr): boolean {
  switch (node.kind) {
    case 'path':
    case 'literal':
    case 'list':
    case 'object':
    case 'call':
    case 'template':
    case 'paren':
    case 'omit':
      return true;
    default:
      return false;
  }
}

/** An operand: atoms as they are, anything compound in parentheses (always safe, always readable). */
function operand(node: Expr, indent: string): string {
  const text = printExpr(node, indent);
  return isAtom(node) ? text : `(${text})`;
}

function printTemplatePart(part: string): string {
  // the part is raw text inside "…": escape what JSON escapes, minus the outer quotes
  return JSON.stringify(part).slice(1, -1);
}

/** Prints one expression; `indent` is the current line indentation (for objects and `each`). */
export function printExpr(node: Expr, indent = ''): string {
  const inner = `${indent}  `;
  switch (node.kind) {
    case 'path':
      return printPath(node);
    case 'literal':
      if (typeof node.value === 'string') return printString(node.value, node.quote);
      return node.value === null ? 'null' : String(node.value);
    case 'list':
      return `[${node.items.map((i) => printExpr(i, indent)).join(', ')}]`;
    case 'paren':
      return `(${printExpr(node.expr, indent)})`;
    case 'not':
      return `!${operand(node.operand, indent)}`;
    case 'compare':
      return `${operand(node.left, indent)} ${node.op} ${operand(node.right, indent)}`;
    case 'logical':
      return node.operands.map((o) => operand(o, indent)).join(` ${node.op} `);
    case 'call':
      return `${node.name}(${node.args.map((a) => printExpr(a, indent)).join(', ')})`;
    case 'object': {
      if (node.entries.length === 0) return '{}';
      const entries = node.entries.map((e) => `${IDENT.test(e.key) && !RESERVED.has(e.key) ? e.key : JSON.stringify(e.key)}: ${printExpr(e.value, inner)}`);
      const flat = `{ ${entries.join(', ')} }`;
      if (flat.length <= 80 && !flat.includes('\n')) return flat;
      return `{\n${entries.map((e) => `${inner}${e}`).join(',\n')}\n${indent}}`;
    }
    case 'template':
      return `"${node.parts.map((p) => (typeof p === 'string' ? printTemplatePart(p) : `{{ ${printExpr(p, indent)} }}`)).join('')}"`;
    case 'coalesce':
      return `${operand(node.left, indent)} ${node.op} ${operand(node.right, indent)}`;
    case 'if':
      return `if ${operand(node.cond, indent)} then ${operand(node.then, indent)}${node.else ? ` else ${operand(node.else, indent)}` : ''}`;
    case 'case': {
      const head = node.subject ? `case ${operand(node.subject, indent)}` : 'case';
      const branches = node.branches.map((b) => `when ${b.when.map((w) => operand(w, indent)).join(', ')} then ${operand(b.then, indent)}`);
      const tail = node.else ? ` else ${operand(node.else, indent)}` : '';
      return `${head} ${branches.join(' ')}${tail} end`;
    }
    case 'each':
      return `each ${operand(node.list, indent)} as $${node.variable} ${operand(node.body, indent)}`;
    case 'omit':
      return 'omit';
    case 'catch':
      return `${operand(node.expr, indent)} catch ${operand(node.fallback, indent)}`;
  }
}

/** Prints a statement line (`field = expr [when guard]` or `let $x = expr`). */
export function printStatement(stmt: AssignStmt | LetStmt, pad = 0): string {
  if (stmt.kind === 'let') return `let $${stmt.name} = ${printExpr(stmt.value)}`;
  const field = stmt.field.map(printKey).join('.');
  const guard = stmt.guard ? ` when ${printExpr(stmt.guard)}` : '';
  return `${field.padEnd(pad)} = ${printExpr(stmt.value)}${guard}`;
}

function printExample(ex: ExampleBlock): string {
  const lines = [`example ${JSON.stringify(ex.title)} {`];
  if (ex.input) lines.push(`  input: ${printExpr(ex.input, '  ')}`);
  if (ex.fields) lines.push(`  fields: ${printExpr(ex.fields, '  ')}`);
  if (ex.body) lines.push(`  body: ${printExpr(ex.body, '  ')}`);
  lines.push('}');
  return lines.join('\n');
}

/** Prints a whole `.map` file: optional leading comment lines, headers, statements, examples. */
export function printMapFile(file: MapFile, comments: readonly string[] = []): string {
  const out: string[] = comments.map((c) => `# ${c}`);
  if (file.target) out.push(`target ${file.target.name}`);
  if (file.title) out.push(`title  ${JSON.stringify(file.title.value)}`);
  if (file.when) out.push(`when   ${fqlForMapHeader(file.when.source.trim()).replace(/\s*\n\s*/g, '\n       ')}`);
  out.push('');
  const pad = Math.min(24, Math.max(0, ...file.statements.map((s) => (s.kind === 'assign' ? s.field.map(printKey).join('.').length : 0))));
  for (const stmt of file.statements) out.push(printStatement(stmt, pad));
  for (const ex of file.examples) out.push('', printExample(ex));
  return `${out.join('\n')}\n`;
}
