// The CodeMirror 6 editors of the playground: `.map` text coloured by the parser's own lexer
// (highlightTokens, src/parser/highlight.ts: the token list in src/parser/tokens.ts, no second
// table and no Lezer grammar), JSON via @codemirror/lang-json, and the library's diagnostics as
// squiggles with the rendered message and hint on hover, and the "did you mean" as a one-click fix.

import { EditorState, RangeSetBuilder, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, drawSelection, highlightActiveLine, keymap, lineNumbers, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { json } from '@codemirror/lang-json';
import { highlightTokens } from '../src/parser/highlight.js';
import type { Diagnostic } from '../src/index.js';

const marks = new Map<string, Decoration>();
const mark = (cls: string) => {
  let m = marks.get(cls);
  if (!m) marks.set(cls, (m = Decoration.mark({ class: `tok-${cls}` })));
  return m;
};

function decorate(view: EditorView, lang: 'map' | 'fql'): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const t of highlightTokens(view.state.doc.toString(), lang)) builder.add(t.start, t.end, mark(t.class));
  return builder.finish();
}

/** Colours `.map` (or FQL) text with the parser's lexer; re-lexed on each change (files are small). */
export function mapHighlighter(lang: 'map' | 'fql' = 'map'): Extension {
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = decorate(view, lang);
      }
      update(u: ViewUpdate) {
        if (u.docChanged) this.decorations = decorate(u.view, lang);
      }
    },
    { decorations: (v) => v.decorations },
  );
}

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  language: 'map' | 'json';
  label: string;
  readOnly?: boolean;
  onChange?: (text: string) => void;
}

/** An editor; Tab is left to the browser (focus moves on), so the page works with the keyboard alone. */
export function createEditor(o: EditorOptions): EditorView {
  const extensions: Extension[] = [
    lineNumbers(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    bracketMatching(),
    lintGutter(),
    keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap]),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': o.label }),
    o.language === 'map' ? mapHighlighter('map') : [json(), syntaxHighlighting(defaultHighlightStyle)],
  ];
  if (o.readOnly) extensions.push(EditorState.readOnly.of(true));
  if (o.onChange) {
    const onChange = o.onChange;
    extensions.push(EditorView.updateListener.of((u) => u.docChanged && onChange(u.state.doc.toString())));
  }
  return new EditorView({ parent: o.parent, state: EditorState.create({ doc: o.doc, extensions }) });
}

/** Replaces the whole text (an example picked, a state loaded). */
export function setText(view: EditorView, text: string): void {
  if (view.state.doc.toString() === text) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Applies a diagnostic's replacement (the checker's "did you mean") in one step. */
export function applyReplacement(view: EditorView, d: Diagnostic): void {
  if (d.replacement === undefined) return;
  const len = view.state.doc.length;
  view.dispatch({ changes: { from: Math.min(d.span.start, len), to: Math.min(d.span.end, len), insert: d.replacement }, selection: { anchor: Math.min(d.span.start, len) + d.replacement.length } });
  view.focus();
}

/** Shows the library's diagnostics as squiggles; hovering one shows its message and hint. */
export function showDiagnostics(view: EditorView, diagnostics: readonly Diagnostic[]): void {
  const len = view.state.doc.length;
  const cm: CmDiagnostic[] = diagnostics.map((d) => {
    const from = Math.min(d.span.start, len);
    const to = Math.min(Math.max(d.span.end, from), len);
    const out: CmDiagnostic = {
      from,
      to,
      severity: d.severity,
      source: d.code,
      message: `${d.message}${d.hint ? `\nhelp: ${d.hint}` : ''}`,
    };
    if (d.replacement !== undefined) out.actions = [{ name: `use ${d.replacement}`, apply: () => applyReplacement(view, d) }];
    return out;
  });
  view.dispatch(setDiagnostics(view.state, cm));
}
