// The one table of diagnostic codes. Every diagnostic any stage emits uses a code from here.
// Codes are stable and never reused; retire a code by leaving its row with `retired: true`.
// Sections are owned by one area each (lexer/parser, FQL semantics, mapping checker); add rows
// only inside your own section.

export interface CodeInfo {
  severity: 'error' | 'warning';
  /** One line: what the code means (used by docs and `--format json`). */
  summary: string;
  retired?: boolean;
}

export const CODES = {
  // ── FQL001–FQL099: lexical (src/parser) ──────────────────────────────────────────────
  FQL001: { severity: 'error', summary: 'invalid character outside a string (non-ASCII or not part of the language)' },
  FQL002: { severity: 'error', summary: 'unterminated string literal' },
  FQL003: { severity: 'error', summary: 'backslash at the end of the input (an escape needs a character)' },
  FQL004: { severity: 'error', summary: 'malformed number (exponent, leading/trailing dot, glued to a name, lone sign)' },
  FQL005: { severity: 'error', summary: 'operator from another language (`==`, `<>`, `&&`, `||`, `!==`)' },
  FQL006: { severity: 'error', summary: 'source too large' },
  FQL007: { severity: 'error', summary: 'source is not a string' },
  // ── FQL100–FQL199: syntax (src/parser) ───────────────────────────────────────────────
  FQL100: { severity: 'error', summary: 'empty expression' },
  FQL101: { severity: 'error', summary: 'missing operand: a value was expected' },
  FQL102: { severity: 'error', summary: 'unexpected token (unbalanced brackets, misplaced token)' },
  FQL103: { severity: 'error', summary: 'comparisons do not chain' },
  FQL104: { severity: 'error', summary: 'two operands with no operator between them' },
  FQL105: { severity: 'error', summary: 'trailing comma in a list or call' },
  FQL106: { severity: 'error', summary: 'empty parentheses' },
  FQL107: { severity: 'error', summary: 'invalid field path (missing key, indexing, calling a path)' },
  FQL108: { severity: 'error', summary: 'expression nested too deeply' },
  // ── FQL200–FQL299: FQL semantics: functions, arity (src/evaluator) ────────────────────
  FQL201: { severity: 'error', summary: 'unknown function' },
  FQL202: { severity: 'error', summary: 'wrong number of arguments' },
  FQL203: { severity: 'error', summary: 'invalid constant argument' },
  FQL204: { severity: 'error', summary: 'construct is not allowed here (not FQL)' },
  FQL205: { severity: 'error', summary: 'argument must be a compile-time constant' },
  FQL210: { severity: 'warning', summary: 'malformed glob pattern: match() is always false' },
  FQL211: { severity: 'warning', summary: 'comparison can never be true (operand types)' },
  FQL212: { severity: 'warning', summary: 'value used as a condition is never true' },
  FQL213: { severity: 'warning', summary: '`!` binds tighter than the comparison after it' },
  FQL214: { severity: 'warning', summary: 'top-level field not in the Segment spec but close to one (a misspelling: did you mean …?)' },
  // ── FQL300–FQL399: warnings: Segment's engine would differ (fql.md §12) (src/evaluator) ─
  FQL301: { severity: 'warning', summary: 'Segment: `and` and `or` mixed without parentheses (no precedence)' },
  FQL302: { severity: 'warning', summary: 'Segment: nested parentheses fail to parse' },
  FQL303: { severity: 'warning', summary: 'Segment: `!` is ignored or fails before anything but contains()/match()' },
  FQL304: { severity: 'warning', summary: 'Segment: conditions on this root are silently dropped' },
  FQL305: { severity: 'warning', summary: 'Segment: single-quoted strings keep their quotes' },
  FQL306: { severity: 'warning', summary: 'Segment: a literal or call on the left, or a literal-only condition, is not supported' },
  FQL307: { severity: 'warning', summary: 'Segment: list literals and `in` are not supported' },
  FQL308: { severity: 'warning', summary: 'Segment: only contains() and match() are supported' },
  FQL309: { severity: 'warning', summary: 'Segment: a bare value as a condition is not supported' },
  FQL310: { severity: 'warning', summary: 'Segment: escaped `.`, `[` or `]` in a path become separators' },
  FQL311: { severity: 'warning', summary: 'Segment: match() only does prefix `x*` or suffix `*x`' },
  FQL312: { severity: 'warning', summary: 'Segment: `=`/`!=` on type/event/name/userId compare the literal as a string' },
  FQL313: { severity: 'warning', summary: 'Segment: `!=` with a number or boolean on properties/traits/context differs' },
  FQL314: { severity: 'warning', summary: 'Segment: ordering operators coerce a string literal with Number()' },
  FQL315: { severity: 'warning', summary: 'Segment: !contains()/!match() are false when the value is missing' },
  FQL316: { severity: 'warning', summary: 'Segment: contains()/match() take a path first and a string literal second' },
  FQL318: { severity: 'warning', summary: "Segment: fql-ts's lexer rejects or splits this spelling (spacing, CR, keyword keys)" },
  FQL317: { severity: 'warning', summary: "Segment: get() returns a falsy intermediate value (0, \"\", false) instead of missing" },
  // ── MAP001–MAP099: .map syntax (src/parser) ──────────────────────────────────────────
  MAP001: { severity: 'error', summary: '.map source too large' },
  MAP002: { severity: 'error', summary: 'missing `target` header' },
  MAP003: { severity: 'error', summary: 'misplaced or repeated header (`target`, `title`, `when` come once, before fields)' },
  MAP004: { severity: 'error', summary: 'the `when` trigger must be pure FQL' },
  MAP005: { severity: 'error', summary: 'invalid escape sequence in a double-quoted string' },
  MAP006: { severity: 'error', summary: 'malformed template (`{{ … }}`)' },
  MAP007: { severity: 'error', summary: 'expected a statement (field assignment, `let`, `example`, header)' },
  MAP008: { severity: 'error', summary: 'malformed `example` block' },
  MAP009: { severity: 'error', summary: 'invalid index in `[ ]` (integer, string or `*` expected)' },
  MAP010: { severity: 'error', summary: 'duplicate key in an object literal' },
  MAP011: { severity: 'error', summary: '.map source is not a string' },
  // ── MAP100–MAP299: .map checker (src/mapping) ────────────────────────────────────────
  MAP100: { severity: 'error', summary: 'unknown target action' },
  MAP101: { severity: 'error', summary: 'unknown field of the target action' },
  MAP102: { severity: 'error', summary: 'dotted assignment into a field that is not an object' },
  MAP103: { severity: 'error', summary: 'literal of the wrong type for the field' },
  MAP104: { severity: 'error', summary: 'required field left without a mapping' },
  MAP105: { severity: 'error', summary: 'value not among the field\'s choices' },
  MAP106: { severity: 'error', summary: '`$variable` used before its `let` (or never defined)' },
  MAP107: { severity: 'error', summary: 'field assigned more than once' },
  MAP108: { severity: 'error', summary: 'number outside the field\'s bounds' },
  MAP109: { severity: 'error', summary: '`example` block is not constant JSON or lacks `input`' },
  MAP200: { severity: 'warning', summary: 'path that the trigger makes impossible' },
  MAP201: { severity: 'warning', summary: 'suspicious date format token (`YYYY`, `DD`)' },
  MAP202: { severity: 'warning', summary: '`let $variable` defined again (the later value replaces it)' },
  // ── SEG001–SEG099: Segment mapping JSON import (src/mapping) ─────────────────────────
  SEG001: { severity: 'error', summary: 'subscription JSON is malformed (mapping is not an object, partnerAction missing)' },
  SEG002: { severity: 'error', summary: 'unknown mapping-kit directive' },
  SEG003: { severity: 'error', summary: 'directive options are invalid (missing or wrongly typed key)' },
  SEG004: { severity: 'error', summary: 'Liquid filter or tag without a .map equivalent' },
  SEG005: { severity: 'error', summary: 'Liquid template syntax not understood' },
  SEG006: { severity: 'error', summary: 'unknown partnerAction' },
  SEG007: { severity: 'error', summary: 'mapping key is not a field of the action' },
  SEG008: { severity: 'error', summary: '@replace pattern or replacement longer than 10 characters (Segment rejects it)' },
  SEG009: { severity: 'error', summary: 'invalid path string in @path / @arrayPath / template' },
  SEG010: { severity: 'error', summary: 'unsupported nesting (`@transform` inside `@arrayPath`)' },
} satisfies Record<string, CodeInfo>;

/** A diagnostic code: a row of the table (the type of `Diagnostic.code`). */
export type Code = keyof typeof CODES;

/** Whether `text` is a code of the table (for codes that travel as text, e.g. through Chevrotain's messages). */
export function isCode(text: string): text is Code {
  return Object.hasOwn(CODES, text);
}
