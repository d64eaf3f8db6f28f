// formatDiagnostic (mapping.md §4): layout, caret alignment with tabs / wide / astral characters,
// spans at the end of input and over several lines, hints, colour only on request.

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { spanAt } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../src/diagnostics/render.js';

const diag = (source: string, start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'MAP101',
  severity: 'error',
  message: '`identifers` is not a field of createUpdatePerson',
  span: spanAt(source, start, end),
  ...extra,
});

/** The caret line's prefix (spaces) and caret count. */
function carets(text: string): { pad: number; count: number } {
  const line = text.split('\n')[4] ?? '';
  const body = line.slice(line.indexOf('|') + 2);
  const m = /^( *)(\^+)/.exec(body);
  return { pad: m?.[1]?.length ?? -1, count: m?.[2]?.length ?? 0 };
}

describe('formatDiagnostic', () => {
  it('renders the layout of mapping.md §4', () => {
    const source = 'target createUpdatePerson\n\n\n\n\n\nidentifers = userId\n';
    const start = source.indexOf('identifers');
    const text = formatDiagnostic(source, diag(source, start, start + 10, { hint: 'did you mean `id`?' }), { filename: 'people.map' });
    expect(text).toBe(
      [
        'error[MAP101]: `identifers` is not a field of createUpdatePerson',
        ' --> people.map:7:1',
        '  |',
        '7 | identifers = userId',
        '  | ^^^^^^^^^^ unknown field of the target action',
        '  = help: did you mean `id`?',
      ].join('\n'),
    );
  });

  it('widens the gutter for long line numbers and omits the file name when none is given', () => {
    const source = `${'\n'.repeat(122)}x = 1`;
    const text = formatDiagnostic(source, diag(source, 122, 123, { severity: 'warning' }));
    expect(text.split('\n').slice(0, 5)).toEqual(['warning[MAP101]: `identifers` is not a field of createUpdatePerson', '   --> 123:1', '    |', '123 | x = 1', '    | ^ unknown field of the target action']);
  });

  it.each<[string, string, number, number]>([
    // [name, line, expected pad, expected caret count] for the span covering `XY`
    ['plain ASCII', 'ab XY', 3, 2],
    ['a tab before the span expands to the next stop', '\tXY', 4, 2],
    ['a tab after text expands to the next stop', 'ab\tXY', 4, 2],
    ['wide characters count two cells', '注文 XY', 5, 2],
    ['astral characters are one code point, two cells', '😀 XY', 3, 2],
    ['combining marks take no cell', 'e\u0301 XY', 2, 2],
  ])('%s', (_name, line, pad, count) => {
    const start = line.indexOf('XY');
    expect(carets(formatDiagnostic(line, diag(line, start, start + 2)))).toEqual({ pad, count });
  });

  it('underlines a wide character with two carets', () => {
    const line = 'a = 注';
    expect(carets(formatDiagnostic(line, diag(line, 4, 5)))).toEqual({ pad: 4, count: 2 });
  });

  it('puts one caret after the last character for an empty span at the end of input', () => {
    const source = 'type =';
    expect(carets(formatDiagnostic(source, diag(source, 6, 6)))).toEqual({ pad: 6, count: 1 });
  });

  it('underlines a multi-line span to the end of its first line', () => {
    const source = 'x = "abc\ndef"\ny = 1';
    const text = formatDiagnostic(source, diag(source, 4, 13));
    expect(text.split('\n')[3]).toBe('1 | x = "abc');
    expect(carets(text)).toEqual({ pad: 4, count: 4 });
  });

  it('drops the CR of CRLF lines and shows control characters harmlessly', () => {
    const source = 'a = "\u001b[31m"\r\nb = 1';
    const text = formatDiagnostic(source, diag(source, 0, 1));
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\r');
  });

  it('cuts very long lines around the span and keeps the caret under it', () => {
    const source = `${'a'.repeat(5000)} XY ${'b'.repeat(5000)}`;
    const start = source.indexOf('XY');
    const text = formatDiagnostic(source, diag(source, start, start + 2));
    const lines = text.split('\n');
    expect((lines[3] ?? '').length).toBeLessThan(200);
    const { pad } = carets(text);
    expect([...(lines[3] ?? '').slice(4)].slice(pad, pad + 2).join('')).toBe('XY');
  });

  it('colours only when asked', () => {
    const source = 'x';
    expect(formatDiagnostic(source, diag(source, 0, 1))).not.toContain('\u001b[');
    const coloured = formatDiagnostic(source, diag(source, 0, 1, { hint: 'h' }), { color: true });
    expect(coloured).toContain('\u001b[1;31merror[MAP101]\u001b[0m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatDiagnostic(source, diag(source, 0, 1, { hint: 'h' })));
  });

  it('has no caret label for codes outside the table', () => {
    const source = 'x';
    expect(formatDiagnostic(source, diag(source, 0, 1, { code: 'ZZZ999' as never /* not a row of the table, on purpose */ })).split('\n')[4]).toBe('  | ^');
  });
});
