// The TextMate grammar for .map and .fql files (grammar/map.tmLanguage.json), generated so its
// list of built-in functions is the library's function table. Written by `npm run grammar`.

import { MAPPING_FUNCTIONS } from '../src/index.js';

/** An identifier: ASCII letters, digits, `_`, `-`, and `\`-escapes (FQL §2.3). */
const IDENT = String.raw`(?:[A-Za-z_]|\\.)(?:[A-Za-z0-9_-]|\\.)*`;
/** Not preceded by a name character, a dot, a backslash or `$` (so `user-in` or `a.in` are not keywords). */
const WORD_START = String.raw`(?<![\w\\.$-])`;
const WORD_END = String.raw`(?![\w\\-])`;

const word = (name: string, words: string) => ({ name, match: `${WORD_START}(?:${words})${WORD_END}` });

/** The grammar object; `functions` are the built-in names highlighted as `support.function`. */
export function textMateGrammar(functions: readonly string[] = MAPPING_FUNCTIONS.map((f) => f.name)): Record<string, unknown> {
  const builtins = [...new Set(functions)].sort().join('|');
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'cio-actions mapping (.map) and FQL (.fql)',
    scopeName: 'source.cio-map',
    fileTypes: ['map', 'fql'],
    patterns: [{ include: '#comment' }, { include: '#header' }, { include: '#let' }, { include: '#example' }, { include: '#assignment' }, { include: '#expression' }],
    repository: {
      comment: { name: 'comment.line.number-sign.cio-map', match: '#.*$' },
      header: {
        patterns: [
          { match: String.raw`^\s*(target)\s+(${IDENT})`, captures: { 1: { name: 'keyword.other.target.cio-map' }, 2: { name: 'entity.name.type.action.cio-map' } } },
          { match: String.raw`^\s*(title)\b`, captures: { 1: { name: 'keyword.other.title.cio-map' } } },
          { match: String.raw`^\s*(when)\b`, captures: { 1: { name: 'keyword.other.when.cio-map' } } },
        ],
      },
      let: {
        match: String.raw`^\s*(let)\s+(\$[A-Za-z_][A-Za-z0-9_]*)\s*(=)(?!=)`,
        captures: { 1: { name: 'storage.type.let.cio-map' }, 2: { name: 'variable.other.declaration.cio-map' }, 3: { name: 'keyword.operator.assignment.cio-map' } },
      },
      example: { match: String.raw`^\s*(example)\b`, captures: { 1: { name: 'keyword.other.example.cio-map' } } },
      assignment: {
        match: String.raw`^\s*(${IDENT}(?:\.${IDENT})*)\s*(=)(?!=)`,
        captures: { 1: { name: 'variable.other.member.field.cio-map' }, 2: { name: 'keyword.operator.assignment.cio-map' } },
      },
      expression: {
        patterns: ['comment', 'string-double', 'string-single', 'object-key', 'keyword', 'constant', 'number', 'variable', 'pipe-call', 'call', 'path', 'operator', 'punctuation'].map((p) => ({
          include: `#${p}`,
        })),
      },
      'string-double': {
        name: 'string.quoted.double.cio-map',
        begin: '"',
        end: '"',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.cio-map' } },
        endCaptures: { 0: { name: 'punctuation.definition.string.end.cio-map' } },
        patterns: [
          { name: 'constant.character.escape.cio-map', match: String.raw`\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})` },
          {
            name: 'meta.template.expression.cio-map',
            contentName: 'meta.embedded.line.cio-map',
            begin: String.raw`\{\{`,
            end: String.raw`\}\}`,
            beginCaptures: { 0: { name: 'punctuation.section.template.begin.cio-map' } },
            endCaptures: { 0: { name: 'punctuation.section.template.end.cio-map' } },
            patterns: [{ include: '#expression' }],
          },
        ],
      },
      'string-single': {
        name: 'string.quoted.single.cio-map',
        begin: "'",
        end: "'",
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.cio-map' } },
        endCaptures: { 0: { name: 'punctuation.definition.string.end.cio-map' } },
      },
      'object-key': {
        match: String.raw`(?<![\w$.\\])(${IDENT}|"[^"]*")\s*(:)(?!:)`,
        captures: { 1: { name: 'support.type.property-name.cio-map' }, 2: { name: 'punctuation.separator.key-value.cio-map' } },
      },
      keyword: {
        patterns: [
          word('keyword.control.conditional.cio-map', 'if|then|else|case|when|end'),
          word('keyword.control.each.cio-map', 'each|as'),
          word('keyword.control.catch.cio-map', 'catch'),
          word('keyword.operator.logical.cio-map', 'and|or'),
          word('keyword.operator.comparison.word.cio-map', 'in'),
        ],
      },
      constant: { patterns: [word('constant.language.cio-map', 'true|false|null'), word('constant.language.omit.cio-map', 'omit')] },
      number: { name: 'constant.numeric.cio-map', match: String.raw`${WORD_START}[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w\\.])` },
      variable: {
        patterns: [
          { name: 'variable.language.event-root.cio-map', match: String.raw`\$(?=\.)` },
          { name: 'variable.other.readwrite.cio-map', match: String.raw`\$[A-Za-z_][A-Za-z0-9_]*` },
        ],
      },
      'pipe-call': {
        match: String.raw`(\|)\s*(${builtins})${WORD_END}`,
        captures: { 1: { name: 'keyword.operator.pipe.cio-map' }, 2: { name: 'support.function.builtin.cio-map' } },
      },
      call: {
        patterns: [
          { match: String.raw`${WORD_START}(${builtins})(?=\s*\()`, captures: { 1: { name: 'support.function.builtin.cio-map' } } },
          { match: String.raw`${WORD_START}(${IDENT})(?=\s*\()`, captures: { 1: { name: 'entity.name.function.cio-map' } } },
        ],
      },
      path: { name: 'variable.other.property.path.cio-map', match: IDENT },
      operator: {
        patterns: [
          { name: 'keyword.operator.coalesce.cio-map', match: String.raw`\?\?|\?:` },
          { name: 'keyword.operator.comparison.cio-map', match: '!=|<=|>=|=|<|>' },
          { name: 'keyword.operator.logical.not.cio-map', match: '!' },
          { name: 'keyword.operator.pipe.cio-map', match: String.raw`\|` },
          { name: 'keyword.operator.wildcard.cio-map', match: String.raw`\*` },
        ],
      },
      punctuation: {
        patterns: [
          { name: 'punctuation.accessor.cio-map', match: String.raw`\.` },
          { name: 'punctuation.separator.comma.cio-map', match: ',' },
          { name: 'punctuation.separator.colon.cio-map', match: ':' },
          { name: 'punctuation.section.braces.cio-map', match: '[{}]' },
          { name: 'punctuation.section.brackets.cio-map', match: String.raw`[\[\]]` },
          { name: 'punctuation.section.parens.cio-map', match: '[()]' },
        ],
      },
    },
  };
}

/** The file text (2-space JSON, final newline). */
export function textMateFile(): string {
  return `${JSON.stringify(textMateGrammar(), null, 2)}\n`;
}
