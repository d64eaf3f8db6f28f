// Chevrotain recognition errors → diagnostics (one per position, cascades after a dropped
// character suppressed). Shared by both parsers; the message text comes from messages.ts.

import type { IRecognitionException, IToken } from 'chevrotain';
import { EOF } from './chevrotain.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineMap } from './line-map.js';
import { unpackMessage } from './messages.js';

/** True when the ascending `sorted` has a value in [lo, hi] (binary search: no O(n·k) scans). */
export function anyInRange(sorted: readonly number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((sorted[mid] as number) < lo) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && (sorted[a] as number) <= hi;
}

/** Most diagnostics reported for one source: later ones are almost always cascades. */
export const MAX_DIAGNOSTICS = 100;

/**
 * Converts parser errors. `eofOffset` is where "end of input" points (the end of the lexed slice).
 * An error whose token directly follows characters the lexer dropped is left out: the lexical
 * diagnostic already explains it.
 */
export function parseDiagnostics(
  errors: readonly IRecognitionException[],
  lines: LineMap,
  droppedEnds: readonly number[],
  eofOffset: number,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  const dropped = [...droppedEnds].sort((a, b) => a - b);
  for (const e of errors) {
    const token: IToken = e.token;
    const atEof = !token || token.tokenType === EOF || !Number.isFinite(token.startOffset);
    const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
    const prevEnd = prev && prev.tokenType !== EOF && Number.isFinite(prev.startOffset) ? (prev.endOffset ?? prev.startOffset) + 1 : 0;
    let start = atEof ? eofOffset : token.startOffset;
    let end = atEof ? eofOffset : (token.endOffset ?? start) + 1;
    // Something missing at the end of a line (or of the input) is shown there, not on the next line.
    if (prevEnd > 0 && (atEof || lines.source.slice(prevEnd, start).includes('\n'))) {
      start = /[ \t]/.test(lines.source[prevEnd] ?? '') ? prevEnd + 1 : prevEnd;
      end = start;
    }
    if (seen.has(start)) continue;
    seen.add(start);
    if (anyInRange(dropped, prevEnd, start)) continue;
    const { code, message, hint } = unpackMessage(e.message);
    out.push({ code, severity: 'error', message, span: lines.span(start, end), ...(hint ? { hint } : {}) });
  }
  return out;
}

/** How much a diagnostic explains: lexical errors first, then "a value was expected" kinds, then the rest. */
function rank(code: string): number {
  if (code.startsWith('FQL00')) return 3;
  if (['FQL101', 'FQL105', 'FQL106', 'FQL107'].includes(code)) return 2;
  if (['FQL102', 'FQL103', 'FQL104'].includes(code)) return 1;
  return 3; // .map structure errors and anything else stand on their own
}

/**
 * Sorted by position, cascades removed, capped at {@link MAX_DIAGNOSTICS}. An error that starts
 * where a more fundamental one starts or ends is its consequence (`properties.1st`: the bad number
 * explains the missing key; `x = = 1`: the missing value explains the "chain").
 */
export function finishDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => a.span.start - b.span.start || rank(b.code) - rank(a.code) || a.code.localeCompare(b.code));
  // Highest rank starting / ending at each offset: one pass, so 10,000 diagnostics stay linear.
  const startRank = new Map<number, number>();
  const endRank = new Map<number, number>();
  for (const d of sorted) {
    const r = rank(d.code);
    startRank.set(d.span.start, Math.max(startRank.get(d.span.start) ?? 0, r));
    endRank.set(d.span.end, Math.max(endRank.get(d.span.end) ?? 0, r));
  }
  const kept = sorted.filter((d) => {
    const r = rank(d.code);
    return (startRank.get(d.span.start) ?? 0) <= r && (endRank.get(d.span.start) ?? 0) <= r;
  });
  return kept.slice(0, MAX_DIAGNOSTICS);
}
