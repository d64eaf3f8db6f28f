// Chevrotain recognition errors → diagnostics (one per position, cascades after a dropped
// character suppressed). Shared by both parsers; the message text comes from messages.ts.

import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineMap } from './line-map.js';
import { unpackMessage } from './messages.js';

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
  for (const e of errors) {
    const token: IToken = e.token;
    const atEof = !token || token.tokenType === EOF || !Number.isFinite(token.startOffset);
    const start = atEof ? eofOffset : token.startOffset;
    const end = atEof ? eofOffset : (token.endOffset ?? start) + 1;
    if (seen.has(start)) continue;
    seen.add(start);
    const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
    const prevEnd = prev && Number.isFinite(prev.startOffset) ? (prev.endOffset ?? prev.startOffset) + 1 : 0;
    if (droppedEnds.some((d) => d >= prevEnd && d <= start)) continue;
    const { code, message, hint } = unpackMessage(e.message);
    out.push({ code, severity: 'error', message, span: lines.span(start, end), ...(hint ? { hint } : {}) });
  }
  return out;
}

const CASCADES = new Set(['FQL104', 'FQL102']);

/**
 * Sorted by position, cascades removed, capped at {@link MAX_DIAGNOSTICS}. A "missing operator" or
 * "unexpected token" error that starts where another error starts or ends is a consequence of it.
 */
export function finishDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  const kept = sorted.filter(
    (d) => !CASCADES.has(d.code) || !sorted.some((o) => o !== d && !CASCADES.has(o.code) && (o.span.start === d.span.start || o.span.end === d.span.start)),
  );
  return kept.slice(0, MAX_DIAGNOSTICS);
}
