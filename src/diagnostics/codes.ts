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
  // ── FQL100–FQL199: syntax (src/parser) ───────────────────────────────────────────────
  // ── FQL200–FQL299: FQL semantics: functions, arity (src/evaluator) ────────────────────
  // ── FQL300–FQL399: warnings: Segment's engine would differ (fql.md §12) (src/evaluator) ─
  // ── MAP001–MAP099: .map syntax (src/parser) ──────────────────────────────────────────
  // ── MAP100–MAP299: .map checker (src/mapping) ────────────────────────────────────────
  // ── SEG001–SEG099: Segment mapping JSON import (src/mapping) ─────────────────────────
} satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
