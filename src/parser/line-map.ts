// Offsets → spans for one source text: line starts computed once, then binary search, so building
// spans for every AST node of a 1 MB .map file stays linear (spanAt walks from the start each time).

import type { Span } from '../diagnostics/diagnostic.js';

/** Line-start table of a source; `span(start, end)` gives 1-based line/column of `start` (UTF-16 columns). */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(readonly source: string) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** A span for [start, end); offsets are clamped into the source. */
  span(start: number, end: number = start): Span {
    const s = Math.max(0, Math.min(Number.isFinite(start) ? start : this.source.length, this.source.length));
    const e = Math.max(s, Math.min(Number.isFinite(end) ? end : s, this.source.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= s) lo = mid;
      else hi = mid - 1;
    }
    return { start: s, end: e, line: lo + 1, column: s - (this.starts[lo] ?? 0) + 1 };
  }
}
