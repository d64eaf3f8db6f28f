// The one diagnostic renderer (CLI, REPL, thrown errors, golden tests): header line, location,
// the source line in a gutter and carets under the span, then the hint, as in mapping.md §4.
// Caret columns count display cells (tabs expanded, wide characters two cells, astral = one point).

import type { Diagnostic } from './diagnostic.js';
import { CODES } from './codes.js';

export interface FormatOptions {
  /** Shown in the ` --> file:line:col` line; without it only `line:col` is shown. */
  filename?: string;
  /** ANSI colours (only when asked for; the CLI asks on a TTY). */
  color?: boolean;
}

const TAB_WIDTH = 4;
/** Longest source excerpt shown (display cells); longer lines are cut around the span. */
const MAX_LINE_CELLS = 160;

/** Display width of one code point: 0 for combining marks, 2 for wide/fullwidth and emoji, else 1. */
function cellWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** One displayed cell run per source code point: its printable text and its width. */
interface Cell {
  text: string;
  width: number;
  /** UTF-16 offset of the code point within the line. */
  at: number;
}

/** Splits a line into cells: tabs expanded to the next tab stop, control characters shown as `�`. */
function cells(line: string): Cell[] {
  const out: Cell[] = [];
  let col = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    let text: string;
    let width: number;
    if (cp === 9) {
      width = TAB_WIDTH - (col % TAB_WIDTH);
      text = ' '.repeat(width);
    } else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) {
      text = '\ufffd'; // never send raw control characters (escape sequences) to a terminal
      width = 1;
    } else {
      text = line.slice(i, i + len);
      width = cellWidth(cp);
    }
    out.push({ text, width, at: i });
    col += width;
    i += len;
  }
  return out;
}

const ansi = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * Renders one diagnostic against its source, e.g.
 *
 * ```text
 * error[MAP101]: `identifers` is not a field of createUpdatePerson
 *  --> people.map:7:1
 *   |
 * 7 | identifers = userId
 *   | ^^^^^^^^^^ unknown field of the target action
 *   = help: did you mean `id`?
 * ```
 *
 * The caret label is the code's summary. A span over several lines is underlined to the end of its
 * first line; an empty span (end of input) gets one caret after the last character.
 */
export function formatDiagnostic(source: string, diagnostic: Diagnostic, options: FormatOptions = {}): string {
  const color = options.color === true;
  const { span } = diagnostic;
  const sevColor = diagnostic.severity === 'error' ? '1;31' : '1;33';

  // Locate the span's first line from its offset (authoritative) rather than trusting line/column.
  const start = Math.max(0, Math.min(span.start, source.length));
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = source.indexOf('\n', start);
  if (lineEnd < 0) lineEnd = source.length;
  const rawLine = source.slice(lineStart, lineEnd).replace(/\r$/, '');
  const lineNo = span.line;
  const column = start - lineStart + 1;
  const from = Math.min(start - lineStart, rawLine.length);
  const to = Math.max(from, Math.min(span.end - lineStart, rawLine.length));

  // Cells of the line, cut to a window around the span when the line is very long.
  let lineCells = cells(rawLine);
  let prefix = '';
  const total = lineCells.reduce((n, c) => n + c.width, 0);
  if (total > MAX_LINE_CELLS) {
    const first = Math.max(0, lineCells.findIndex((c) => c.at >= from) - 40);
    lineCells = lineCells.slice(first, first + MAX_LINE_CELLS);
    prefix = first > 0 ? '…' : '';
  }
  const shown = prefix + lineCells.map((c) => c.text).join('');
  let pad = prefix.length;
  let carets = 0;
  for (const c of lineCells) {
    if (c.at < from) pad += c.width;
    else if (c.at < to) carets += Math.max(1, c.width);
  }
  carets = Math.max(1, carets);

  const width = String(lineNo).length;
  const gutter = ' '.repeat(width);
  const bar = ansi(color, '1;34', '|');
  const label = (CODES as Record<string, { summary: string } | undefined>)[diagnostic.code]?.summary;
  const location = options.filename ? `${options.filename}:${lineNo}:${column}` : `${lineNo}:${column}`;

  const out = [
    `${ansi(color, sevColor, `${diagnostic.severity}[${diagnostic.code}]`)}${ansi(color, '1', `: ${diagnostic.message}`)}`,
    `${gutter}${ansi(color, '1;34', '-->')} ${location}`,
    `${gutter} ${bar}`,
    `${ansi(color, '1;34', String(lineNo))} ${bar}${shown.length > 0 ? ` ${shown}` : ''}`,
    `${gutter} ${bar} ${' '.repeat(pad)}${ansi(color, sevColor, '^'.repeat(carets))}${label ? ` ${ansi(color, sevColor, label)}` : ''}`,
  ];
  if (diagnostic.hint) out.push(`${gutter} ${ansi(color, '1;34', '=')} ${ansi(color, '1', 'help')}: ${diagnostic.hint}`);
  return out.join('\n');
}
