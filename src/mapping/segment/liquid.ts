// mapping-kit `@liquid` templates → .map templates: `{{ path | filter: arg }}` outputs become
// `{{ fn(path, arg) }}` parts. Only filters with an exact .map equivalent are accepted; tags,
// whitespace control and other filters are SEG004/SEG005 errors naming what is unsupported.

import type { Expr } from '../../parser/ast.js';
import { parseDottedPath } from '../paths.js';
import { NO_SPAN, call, lit, obj, path, type Root } from './build.js';
import type { Code } from '../../diagnostics/codes.js';

type Report = (code: Code, message: string, hint?: string) => Expr;

type Token = { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'word'; v: string } | { t: 'punct'; v: '|' | ':' | ',' };

function tokenize(src: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) return 'unterminated string';
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '|' || c === ':' || c === ',') {
      out.push({ t: 'punct', v: c });
      i++;
    } else {
      const m = /^-?\d+(\.\d+)?(?![\w.])/.exec(src.slice(i, i + 64));
      if (m) {
        out.push({ t: 'num', v: Number(m[0]) });
        i += m[0].length;
        continue;
      }
      const w = /^[A-Za-z_$][\w$-]*(?:\.[\w$-]+|\[(?:\d+|"[^"]*"|'[^']*')\])*\??/.exec(src.slice(i, i + 1024));
      if (!w) return `unexpected \`${c}\``;
      out.push({ t: 'word', v: w[0] });
      i += w[0].length;
    }
  }
  return out;
}

function valueOf(tok: Token | undefined, root: Root, report: Report): Expr {
  if (!tok) return report('SEG005', 'a value is missing in a Liquid output');
  if (tok.t === 'str') return lit(tok.v);
  if (tok.t === 'num') return lit(tok.v);
  if (tok.t === 'punct') return report('SEG005', `unexpected \`${tok.v}\` in a Liquid output`);
  if (tok.v === 'nil' || tok.v === 'null') return lit(null);
  if (tok.v === 'true' || tok.v === 'false') return lit(tok.v === 'true');
  if (tok.v === 'empty' || tok.v === 'blank') return report('SEG004', `Liquid \`${tok.v}\` has no .map equivalent here`);
  const segments = parseDottedPath(tok.v, NO_SPAN, false);
  if (typeof segments === 'string') return report('SEG005', segments);
  return path(root, segments);
}

/** Liquid string filters stringify their input first (liquidjs `stringify`): `liquid_asText(x)`. */
const asText = (x: Expr): Expr => (x.kind === 'call' && STRING_RESULTS.has(x.name) ? x : call('liquid_text', x));
const STRING_RESULTS = new Set(['liquid_text', 'upper', 'lower', 'trim', 'replace', 'to_json']);

/** Filters with an exact .map equivalent: name → (input, args) → expression. Others are SEG004. */
const FILTERS: Record<string, { arity: [number, number]; build: (x: Expr, args: Expr[]) => Expr }> = {
  upcase: { arity: [0, 0], build: (x) => call('upper', asText(x)) },
  downcase: { arity: [0, 0], build: (x) => call('lower', asText(x)) },
  strip: { arity: [0, 0], build: (x) => call('trim', asText(x)) },
  json: { arity: [0, 0], build: (x) => call('to_json', x) },
  replace: { arity: [2, 2], build: (x, [a, b]) => call('replace', asText(x), a as Expr, b as Expr) },
  replace_first: { arity: [2, 2], build: (x, [a, b]) => call('replace', asText(x), a as Expr, b as Expr, obj([['all', lit(false)]])) },
  remove: { arity: [1, 1], build: (x, [a]) => call('replace', asText(x), a as Expr, lit('')) },
  remove_first: { arity: [1, 1], build: (x, [a]) => call('replace', asText(x), a as Expr, lit(''), obj([['all', lit(false)]])) },
  default: { arity: [1, 1], build: (x, [d]) => call('liquid_default', x, d as Expr) },
};

/** One `{{ … }}` output → an expression. */
function outputExpr(src: string, root: Root, report: Report): Expr {
  const tokens = tokenize(src);
  if (typeof tokens === 'string') return report('SEG005', `Liquid output \`{{${src}}}\`: ${tokens}`);
  let i = 0;
  let expr = valueOf(tokens[i++], root, report);
  while (i < tokens.length) {
    const bar = tokens[i++];
    if (!bar || bar.t !== 'punct' || bar.v !== '|') return report('SEG005', `Liquid output \`{{${src}}}\`: expected \`|\``);
    const name = tokens[i++];
    if (!name || name.t !== 'word') return report('SEG005', `Liquid output \`{{${src}}}\`: expected a filter name`);
    const args: Expr[] = [];
    if (tokens[i]?.t === 'punct' && (tokens[i] as { v: string }).v === ':') {
      i++;
      args.push(valueOf(tokens[i++], root, report));
      while (tokens[i]?.t === 'punct' && (tokens[i] as { v: string }).v === ',') {
        i++;
        args.push(valueOf(tokens[i++], root, report));
      }
    }
    const f = Object.hasOwn(FILTERS, name.v) ? FILTERS[name.v] : undefined;
    if (!f) return report('SEG004', `Liquid filter \`${name.v}\` has no .map equivalent`, `supported filters: ${Object.keys(FILTERS).join(', ')}; write the .map function directly`);
    if (args.length < f.arity[0] || args.length > f.arity[1]) return report('SEG005', `Liquid filter \`${name.v}\` takes ${f.arity[0]}–${f.arity[1]} arguments`);
    expr = f.build(expr, args);
  }
  return expr;
}

/** Converts a Liquid template (≤ 1000 characters, as mapping-kit allows) into a .map expression (always a string). */
export function liquidToExpr(template: string, root: Root, report: Report): Expr {
  if (template.length > 1000) return report('SEG003', 'liquid template values are limited to 1000 characters');
  const parts: Array<string | Expr> = [];
  let i = 0;
  let text = '';
  while (i < template.length) {
    if (template.startsWith('{%', i)) return report('SEG004', 'Liquid tags (`{% … %}`) have no .map equivalent', 'use `if … then … else` or `case` in a .map file');
    if (template.startsWith('{{', i)) {
      const end = template.indexOf('}}', i + 2);
      if (end < 0) return report('SEG005', 'unclosed `{{` in a Liquid template');
      const inner = template.slice(i + 2, end);
      if (inner.startsWith('-') || inner.endsWith('-')) return report('SEG005', 'Liquid whitespace control (`{{-`, `-}}`) is not supported');
      if (text) parts.push(text);
      text = '';
      // an output renders its value as Liquid text
      parts.push(asText(outputExpr(inner, root, report)));
      i = end + 2;
      continue;
    }
    text += template[i];
    i++;
  }
  if (text) parts.push(text);
  if (parts.every((p) => typeof p === 'string')) return lit(parts.join(''), "'");
  return { kind: 'template', parts, span: NO_SPAN };
}
