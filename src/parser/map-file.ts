// CST → AST for the .map statement level: headers (`target`, `title`, `when`), `let`, field
// assignments with guards, `example` blocks, and the structural rules (order, repetition, the
// `when` trigger being pure FQL, re-parsed with the FQL parser so it means exactly what FQL says).

import type { CstNode, IToken } from 'chevrotain';
import type { AssignStmt, ExampleBlock, Expr, LetStmt, MapFile } from './ast.js';
import { editDistance } from '../diagnostics/suggest.js';
import { decodeIdentifier, type Children } from './ast-builder.js';
import { parseFqlRange } from './fql.js';
import type { MapBuilder } from './map-ast.js';
import { childExprs } from './walk.js';

const HEADER_WORDS = ['target', 'title', 'example'];
const EXAMPLE_KEYS = ['input', 'fields', 'body'];

/** Within two edits (short words only), for "did you mean" on a misspelt header word. */
function near(a: string, b: string): boolean {
  return a.length <= 32 && editDistance(a, b, 2) <= 2;
}

/** What makes an expression not FQL (for the `when` header), or undefined. Iterative walk. */
export function nonFqlConstruct(root: Expr): { what: string; node: Expr } | undefined {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    const what =
      e.kind === 'coalesce' ? `\`${e.op}\``
      : e.kind === 'catch' ? '`catch`'
      : e.kind === 'if' ? '`if`'
      : e.kind === 'case' ? '`case`'
      : e.kind === 'each' ? '`each`'
      : e.kind === 'omit' ? '`omit`'
      : e.kind === 'object' ? 'an object literal'
      : e.kind === 'template' ? 'a template'
      : e.kind === 'call' && e.piped ? 'a pipe `|`'
      : e.kind === 'path' && e.root.kind === 'variable' ? `the variable \`$${e.root.name}\``
      : e.kind === 'path' && e.segments.some((s) => s.kind !== 'key' || s.span.start < e.span.start) ? 'an indexed path'
      : undefined;
    if (what) return { what, node: e };
    stack.push(...childExprs(e));
  }
  return undefined;
}

/**
 * `x =` followed by a line `y = 2` parses as `x = (y = 2)` because newlines are whitespace; a
 * value that starts on a later line and is itself `name = …` at the start of that line is taken
 * as a forgotten value instead (reported at the operator that lacks it).
 */
function swallowedAssignment(b: MapBuilder, operator: IToken | undefined, value: Expr | undefined): boolean {
  if (!operator || !value || value.kind !== 'compare' || value.op !== '=' || value.left.kind !== 'path') return false;
  const source = b.lines.source;
  const start = value.left.span.start;
  const between = source.slice(operator.startOffset, start);
  if (!between.includes('\n')) return false;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  if (source.slice(lineStart, start).trim() !== '') return false;
  const end = (operator.endOffset ?? operator.startOffset) + 1;
  b.error('FQL101', `expected a value after \`${operator.image}\`, found end of line`, b.lines.span(end, end), `the next line \`${source.slice(start, value.span.end).split('\n')[0]}\` reads as a new field; put the value after \`${operator.image}\``);
  return true;
}

/** Assembles the MapFile from the statement CSTs; `broken[i]` statements (syntax errors) are dropped. */
export function buildMapFile(b: MapBuilder, statements: readonly CstNode[], brokenFlags: readonly boolean[]): MapFile {
  const source = b.lines.source;
  const file: MapFile = { kind: 'mapFile', statements: [], examples: [], span: b.lines.span(0, source.length) };
  let seenBody = false; // a field, `let` or example came already
  let first = true;

  statements.forEach((stmt, i) => {
    const broken = brokenFlags[i] === true;
    let inner: CstNode | undefined;
    for (const key in stmt.children) inner = b.nodes(stmt.children as Children, key)[0];
    if (!inner) return;
    const ch = inner.children as Children;
    const span = b.nodeSpan(inner);

    switch (inner.name) {
      case 'header': {
        const [wordTok, nameTok] = b.toks(ch, 'Identifier');
        const strTok = b.toks(ch, 'StringTok')[0];
        const word = wordTok?.image ?? '';
        const body = b.nodes(ch, 'exampleBody')[0];
        if (!HEADER_WORDS.includes(word)) {
          const guess = HEADER_WORDS.find((w) => near(word, w));
          b.error('MAP007', `expected \`=\` after the field \`${decodeIdentifier(word)}\``, b.tokenSpan(wordTok as IToken), guess ? `did you mean the header \`${guess}\`?` : 'a field is set with `name = value`');
          break;
        }
        if (word === 'example') {
          if (!strTok || nameTok) b.error('MAP008', 'expected a title in quotes after `example`', span, 'example "a known user" { input: {…}, fields: {…} }');
          else if (!body) b.error('MAP008', 'expected `{` after the example title', b.tokenSpan(strTok), 'example "title" { input: {…}, fields: {…} }');
          else if (!broken) file.examples.push(buildExample(b, span, b.keyText(strTok), body));
          seenBody = true;
          break;
        }
        if (body) b.error('MAP008', `\`${word}\` takes no \`{ … }\` block`, b.nodeSpan(body));
        if (word === 'target') {
          if (nameTok && b.nodes(ch, 'dotKey').length > 0) b.error('MAP002', 'an action name has no dots', span, 'for example `target createUpdatePerson`');
          else if (!nameTok) b.error('MAP002', 'expected an action name after `target`', strTok ? b.tokenSpan(strTok) : span, 'for example `target createUpdatePerson` (no quotes)');
          else if (file.target) b.error('MAP003', 'a second `target` header', span, 'a .map file is one subscription; several in one file (as `import-segment` prints them) go one per file with `cio-actions import-segment FILE.json --out-dir DIR`');
          else {
            if (!first) b.error('MAP003', '`target` must be the first line of the file', span);
            file.target = { name: decodeIdentifier(nameTok.image), span: b.tokenSpan(nameTok) };
          }
        } else {
          if (!strTok) b.error('MAP003', 'expected a title in quotes after `title`', nameTok ? b.tokenSpan(nameTok) : span, 'title "People from identify"');
          else if (file.title) b.error('MAP003', 'a second `title` header', span);
          else {
            if (seenBody) b.error('MAP003', '`title` must come before the first field', span);
            file.title = { value: b.keyText(strTok), span: b.tokenSpan(strTok) };
          }
        }
        break;
      }
      case 'whenHeader': {
        const exprNode = b.nodes(ch, 'expression')[0];
        if (!exprNode?.location) break;
        if (file.when) b.error('MAP003', 'a second `when` header', span, 'combine the conditions with `and` / `or` in one `when`');
        else if (seenBody) b.error('MAP003', '`when` must come before the first field', span, 'a guard goes on the field\'s own line: `field = value when cond`');
        if (broken || file.when) break;
        const start = exprNode.location.startOffset;
        const end = (exprNode.location.endOffset ?? start) + 1;
        const mark = b.diagnostics.length;
        const bad = nonFqlConstruct(b.build(exprNode));
        // That build reads strings the .map way (JSON escapes, templates); FQL strings are raw
        // (`"a\*b"` is a glob escape), so its findings are dropped: the FQL re-parse below reports.
        b.diagnostics.length = mark;
        if (bad) {
          b.error('MAP004', `${bad.what} is not FQL: the \`when\` trigger must be pure FQL`, bad.node.span, 'move computations into fields; the trigger only chooses events');
          break;
        }
        const fql = parseFqlRange(b.lines, start, end);
        b.diagnostics.push(...fql.diagnostics);
        if (fql.ast) file.when = { expr: fql.ast, source: source.slice(start, end), span: b.lines.span(start, end) };
        break;
      }
      case 'letStmt': {
        seenBody = true;
        const v = b.toks(ch, 'Variable')[0];
        if (broken || !v) break;
        const value = b.build(b.nodes(ch, 'expression')[0], span);
        if (swallowedAssignment(b, b.toks(ch, 'Eq')[0], value)) break;
        const stmt: LetStmt = { kind: 'let', name: v.image.slice(1), nameSpan: b.tokenSpan(v), value, span };
        file.statements.push(stmt);
        break;
      }
      case 'assignment': {
        seenBody = true;
        if (broken) break;
        const ident = b.toks(ch, 'Identifier')[0];
        if (!ident) break;
        const keys = b.nodes(ch, 'dotKey').map((k) => b.dotKey(k));
        const lastKey = keys[keys.length - 1];
        const [value, guard] = b.nodes(ch, 'expression').map((e) => b.build(e));
        if (swallowedAssignment(b, b.toks(ch, 'Eq')[0], value) || swallowedAssignment(b, b.toks(ch, 'When')[0], guard)) break;
        const stmt: AssignStmt = {
          kind: 'assign',
          field: [decodeIdentifier(ident.image), ...keys.map((k) => (k.kind === 'key' ? k.name : ''))],
          fieldSpan: b.lines.span(ident.startOffset, lastKey ? lastKey.span.end : (ident.endOffset ?? ident.startOffset) + 1),
          value: value ?? b.missing(span),
          ...(guard ? { guard } : {}),
          span,
        };
        file.statements.push(stmt);
        break;
      }
    }
    first = false;
  });

  if (!file.target && !b.diagnostics.some((d) => d.code === 'MAP002')) {
    const firstStmt = file.statements[0];
    b.error('MAP002', 'missing `target` header: which action does this file feed?', b.lines.span(firstStmt?.span.start ?? 0, firstStmt?.span.start ?? 0), 'start the file with `target <action>`, e.g. `target createUpdatePerson`');
  }
  return file;
}

/** `example "title" { input: …, fields: …, body: … }` with JSON-only values. */
function buildExample(b: MapBuilder, span: ExampleBlock['span'], title: string, body: CstNode): ExampleBlock {
  const block: ExampleBlock = { kind: 'example', title, span };
  b.jsonMode = true;
  try {
    for (const entry of b.entries(body)) {
      if (!EXAMPLE_KEYS.includes(entry.key)) {
        b.error('MAP008', `unknown example part \`${entry.key}\``, entry.keySpan, 'an example has `input`, `fields` and/or `body`');
        continue;
      }
      const notJson = findNonJson(entry.value);
      if (notJson) b.error('MAP008', 'example values must be JSON (objects, lists, strings, numbers, true, false, null)', notJson.span);
      block[entry.key as 'input' | 'fields' | 'body'] = entry.value;
    }
  } finally {
    b.jsonMode = false;
  }
  if (!block.input) b.error('MAP008', `example "${title}" has no \`input\``, span, 'add `input: { "type": "track", … }`');
  else if (!block.fields && !block.body) b.error('MAP008', `example "${title}" checks nothing`, span, 'add `fields: {…}` and/or `body: {…}`');
  return block;
}

function findNonJson(root: Expr): Expr | undefined {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    if (e.kind !== 'object' && e.kind !== 'list' && e.kind !== 'literal') return e;
    stack.push(...childExprs(e));
  }
  return undefined;
}
