// The playground page: event and `.map` editors on the left, the result on the right (trigger with
// sub-expression values, fields, the request per profile, diagnostics), a Segment-import tab, and
// the reference tables. Every result comes from model.ts (the library's public API); every text is
// put in the page with textContent, never as HTML (events and mappings are hostile input).

import type { EditorView } from '@codemirror/view';
import { compileMapping, type Diagnostic, type Profile } from '../src/index.js';
import { actionTable, fieldRows, functionTable, signature } from '../src/cli/repl/tables.js';
import { applyReplacement, createEditor, setText, showDiagnostics } from './editor.js';
import { viewMapping, viewSegment, type MapView, type RequestView } from './model.js';
import { decodeState, encodeState, type PlaygroundState } from './state.js';

/** Example files, embedded at build time by scripts/build-playground.ts. */
declare const __PLAYGROUND_DATA__: {
  events: string[];
  maps: Array<{ name: string; text: string }>;
  segment: Array<{ name: string; text: string }>;
};
const DATA = __PLAYGROUND_DATA__;

type Child = Node | string | null | undefined | false;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A sub-expression on one line, its middle elided when long (the whole text is its tooltip). */
const shorten = (text: string) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 100 ? `${flat.slice(0, 60)} … ${flat.slice(-30)}` : flat;
};
const json = (v: unknown) => JSON.stringify(v, null, 2) ?? String(v);
const compact = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

function eventLabel(line: string, i: number): string {
  try {
    const e = JSON.parse(line) as Record<string, unknown>;
    const what = typeof e.event === 'string' ? e.event : typeof e.name === 'string' ? e.name : '';
    return `${i + 1}: ${String(e.type)}${what ? ` ${what}` : ''}${typeof e.messageId === 'string' ? ` (${e.messageId})` : ''}`;
  } catch {
    return `${i + 1}: (not JSON)`;
  }
}
const prettyEvent = (line: string) => {
  try {
    return json(JSON.parse(line));
  } catch {
    return line;
  }
};

// ── state ──────────────────────────────────────────────────────────────────────────────────

function defaultState(): PlaygroundState {
  const map = DATA.maps.find((m) => m.name === 'activity.map') ?? DATA.maps[0];
  const mapText = map?.text ?? 'target trackEvent\n';
  // the first example event the mapping's trigger matches (compiled once, not once per line)
  let matches: (line: string) => boolean = () => true;
  try {
    const trigger = compileMapping(mapText).trigger;
    matches = (line) => trigger.matches(JSON.parse(line));
  } catch {
    /* an example that does not compile shows its diagnostics with the first event */
  }
  const line = DATA.events.find(matches) ?? DATA.events[0] ?? '{}';
  return { tab: 'map', profile: 'strict', event: prettyEvent(line), map: mapText, segment: DATA.segment[0]?.text ?? '{}' };
}

const state: PlaygroundState = decodeState(location.hash) ?? defaultState();

// ── static parts: selects, tabs, reference ─────────────────────────────────────────────────

function fillSelect(select: HTMLSelectElement, placeholder: string, options: Array<[string, string]>): void {
  select.replaceChildren(h('option', { value: '' }, placeholder), ...options.map(([v, label]) => h('option', { value: v }, label)));
}

fillSelect($('example-event'), 'pick an example event…', DATA.events.map((l, i) => [String(i), eventLabel(l, i)]));
fillSelect($('example-map'), 'pick an example mapping…', DATA.maps.map((m, i) => [String(i), m.name]));
fillSelect($('example-segment'), 'pick an example subscription…', DATA.segment.map((m, i) => [String(i), m.name]));
const actions = actionTable();
fillSelect($('ref-action'), 'the mapping’s action', Object.keys(actions).map((k) => [k, `${k}: ${actions[k]?.title ?? ''}`]));

const eventView = createEditor({ parent: $('event-editor'), doc: state.event, language: 'json', label: 'Event JSON', onChange: (t) => ((state.event = t), schedule()) });
const mapView = createEditor({ parent: $('map-editor'), doc: state.map, language: 'map', label: '.map subscription', onChange: (t) => ((state.map = t), schedule()) });
const segmentView = createEditor({ parent: $('segment-editor'), doc: state.segment, language: 'json', label: 'Segment subscription JSON', onChange: (t) => ((state.segment = t), schedule()) });

const importedView = createEditor({ parent: $('segment-map'), doc: '', language: 'map', label: 'the imported .map text', readOnly: true });

$('example-event').addEventListener('change', (e) => {
  const i = (e.target as HTMLSelectElement).value;
  if (i !== '') setText(eventView, prettyEvent(DATA.events[Number(i)] ?? '{}'));
});
$('example-map').addEventListener('change', (e) => {
  const i = (e.target as HTMLSelectElement).value;
  if (i !== '') setText(mapView, DATA.maps[Number(i)]?.text ?? '');
});
$('example-segment').addEventListener('change', (e) => {
  const i = (e.target as HTMLSelectElement).value;
  if (i !== '') setText(segmentView, DATA.segment[Number(i)]?.text ?? '');
});
const profileSelect = $<HTMLSelectElement>('profile');
profileSelect.value = state.profile;
profileSelect.addEventListener('change', () => {
  state.profile = profileSelect.value === 'segment' ? 'segment' : 'strict';
  schedule();
});
$('ref-action').addEventListener('change', () => renderReference());
$('ref-search').addEventListener('input', () => renderReference());

const tabs = ['map', 'segment'] as const;
function selectTab(tab: PlaygroundState['tab'], focus = false): void {
  state.tab = tab;
  for (const t of tabs) {
    const button = $(`tab-${t}`);
    button.setAttribute('aria-selected', String(t === tab));
    button.tabIndex = t === tab ? 0 : -1;
    $(`panel-${t}`).hidden = t !== tab;
    if (focus && t === tab) button.focus();
  }
  $('segment-bodies-pane').hidden = tab !== 'segment';
  schedule();
}
for (const t of tabs) {
  const button = $(`tab-${t}`);
  button.addEventListener('click', () => selectTab(t));
  // arrow keys move between tabs (WAI-ARIA tabs pattern)
  button.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    selectTab(t === 'map' ? 'segment' : 'map', true);
  });
}

$('copy-link').addEventListener('click', () => {
  const url = location.href;
  const done = () => ($('copy-status').textContent = 'link copied: it reopens this exact case');
  navigator.clipboard?.writeText(url).then(done, () => ($('copy-status').textContent = 'the address bar holds the link to this case'));
});

// ── reference: the REPL's tables (src/cli/repl/tables.ts), searchable ───────────────────────

let currentAction: string | undefined;
function renderReference(): void {
  const q = $<HTMLInputElement>('ref-search').value.trim().toLowerCase();
  const picked = $<HTMLSelectElement>('ref-action').value || currentAction || 'trackEvent';
  const action = actions[picked];
  const hit = (...texts: string[]) => q === '' || texts.some((t) => t.toLowerCase().includes(q));
  const rows = action ? fieldRows(action).filter((f) => hit(f.key, f.label, f.description, f.type)) : [];
  $('ref-fields-caption').textContent = action ? `${action.key}: ${action.title} (${rows.length} field${rows.length === 1 ? '' : 's'})` : '';
  $('ref-fields-body').replaceChildren(
    ...rows.map((f) =>
      h('tr', {}, h('th', { scope: 'row' }, h('code', {}, f.key)), h('td', { class: 'nowrap' }, f.type), h('td', { class: 'nowrap' }, f.required ? 'required' : 'optional'), h('td', { class: 'nowrap' }, f.default === undefined ? '—' : h('code', {}, `default ${compact(f.default)}`)), h('td', {}, f.label, h('span', { class: 'muted' }, ` — ${f.description.split('\n')[0] ?? ''}`))),
    ),
  );
  const fns = functionTable().filter((f) => hit(f.name, f.doc));
  $('ref-functions-count').textContent = `${fns.length} function${fns.length === 1 ? '' : 's'}`;
  $('ref-functions').replaceChildren(
    ...fns.map((f) =>
      h(
        'details',
        { class: 'fn' },
        h('summary', {}, h('code', {}, signature(f)), h('span', { class: 'muted' }, ` ${f.doc.split('\n')[0] ?? ''}`)),
        h('p', {}, f.doc),
        f.examples.length > 0 && h('ul', {}, ...f.examples.map((x) => h('li', {}, h('code', {}, x.expr), ' → ', h('code', {}, x.result === undefined ? 'missing' : compact(x.result))))),
      ),
    ),
  );
}

// ── results ────────────────────────────────────────────────────────────────────────────────

function renderTrigger(view: MapView): void {
  const pane = $('trigger-body');
  if (!view.trigger || !view.subscription) {
    pane.replaceChildren(h('p', { class: 'muted' }, view.eventError ?? 'no trigger: the mapping has errors'));
    $('trigger-verdict').textContent = '';
    $('trigger-verdict').className = 'verdict';
    return;
  }
  const { matches, steps } = view.trigger;
  $('trigger-verdict').textContent = matches ? '✓ true: the subscription runs' : '✗ false: the subscription skips this event';
  $('trigger-verdict').className = `verdict ${matches ? 'yes' : 'no'}`;
  pane.replaceChildren(
    h(
      'ol',
      { class: 'steps', 'aria-label': 'sub-expression values' },
      ...steps.map((s) =>
        h('li', { style: `padding-left:${s.depth * 1.1}em` }, h('code', { title: s.text }, shorten(s.text)), ' → ', s.missing ? h('span', { class: 'missing' }, 'missing') : h('code', { class: `val ${s.value === true ? 'yes' : s.value === false ? 'no' : ''}` }, compact(s.value))),
      ),
    ),
  );
}

function renderFields(view: MapView): void {
  const body = $('fields-body');
  if (view.fields.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: '3', class: 'muted' }, 'no fields: the mapping has errors')));
    return;
  }
  body.replaceChildren(
    ...view.fields.map((f) =>
      h(
        'tr',
        { class: f.origin },
        h('th', { scope: 'row' }, h('code', {}, f.field)),
        h('td', {}, f.set ? h('code', {}, compact(f.value)) : h('span', { class: 'missing' }, 'not set'), h('div', { class: 'expr muted' }, `= ${f.expr}`)),
        h('td', {}, f.origin === 'mapping' ? h('span', { class: 'badge mapping' }, `mapping${f.line ? ` line ${f.line}` : ''}`) : h('span', { class: 'badge default' }, 'action default')),
      ),
    ),
  );
}

function requestNodes(r: RequestView): Node[] {
  if (r.kind === 'none') return [h('p', { class: 'why', role: 'status' }, r.reason), ...(r.details.length > 0 ? [h('ul', { class: 'details' }, ...r.details.map((d) => h('li', {}, d)))] : [])];
  return r.requests.map((q) => h('div', { class: 'req' }, h('p', {}, h('strong', { class: 'method' }, q.method), ' ', h('code', { class: 'url' }, q.url)), h('pre', { class: 'body', 'aria-label': 'request body' }, json(q.body))));
}

function renderDiagnostics(diagnostics: readonly Diagnostic[], editor: EditorView, editable: boolean): void {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  $('diagnostics-count').textContent = diagnostics.length === 0 ? 'none' : `${count(diagnostics.filter((d) => d.severity === 'error').length, 'error')}, ${count(diagnostics.filter((d) => d.severity === 'warning').length, 'warning')}`;
  $('diagnostics-list').replaceChildren(
    ...diagnostics.map((d) =>
      h(
        'li',
        { class: `diag ${d.severity}`, 'data-code': d.code },
        h('button', { type: 'button', class: 'goto', title: 'show in the editor' }, h('span', { class: 'sev' }, d.severity === 'error' ? '✗ error' : '⚠ warning'), ` ${d.span.line}:${d.span.column} `, h('code', {}, d.code), ` ${d.message}`),
        d.hint && h('div', { class: 'hint' }, `help: ${d.hint}`),
        editable && d.replacement !== undefined && h('button', { type: 'button', class: 'fix', 'data-fix': d.replacement }, `Apply: use ${d.replacement}`),
      ),
    ),
  );
  const items = $('diagnostics-list').children;
  diagnostics.forEach((d, i) => {
    const li = items[i] as HTMLElement;
    li.querySelector('.goto')?.addEventListener('click', () => {
      editor.dispatch({ selection: { anchor: Math.min(d.span.start, editor.state.doc.length), head: Math.min(d.span.end, editor.state.doc.length) }, scrollIntoView: true });
      editor.focus();
    });
    li.querySelector('.fix')?.addEventListener('click', () => applyReplacement(editor, d));
  });
  if (editable) showDiagnostics(editor, diagnostics);
}

function renderMap(view: MapView, editor: EditorView, editable: boolean): void {
  $('event-error').textContent = view.eventError ?? '';
  $('mapping-summary').textContent = view.subscription ? `${view.subscription.title} → ${view.subscription.action}` : '';
  renderTrigger(view);
  renderFields(view);
  $('request-body').replaceChildren(...requestNodes(view.request));
  renderDiagnostics(view.diagnostics, editor, editable);
  if (view.subscription && view.subscription.action !== currentAction) {
    currentAction = view.subscription.action;
    renderReference();
  }
}

function update(): void {
  const profile: Profile = state.profile;
  if (state.tab === 'map') {
    renderMap(viewMapping(state.event, state.map, profile), mapView, true);
  } else {
    const s = viewSegment(state.event, state.segment, profile);
    setText(importedView, s.mapSource ?? '');
    $('segment-error').textContent = s.error ?? '';
    if (s.mapSource !== undefined) renderMap(viewMapping(state.event, s.mapSource, profile), importedView, false);
    else {
      renderMap({ diagnostics: s.diagnostics, fields: [], request: { kind: 'none', reason: `no request: ${s.error ?? 'the subscription cannot be imported'}`, details: [] } }, importedView, false);
    }
    $('segment-imported').replaceChildren(...(s.imported ? requestNodes(s.imported) : [h('p', { class: 'muted' }, '—')]));
    $('segment-printed').replaceChildren(...(s.printed ? requestNodes(s.printed) : [h('p', { class: 'muted' }, '—')]));
    const same = s.imported && s.printed && JSON.stringify(s.imported) === JSON.stringify(s.printed);
    $('segment-same').textContent = s.imported && s.printed ? (same ? '= the same request both ways' : '≠ the two differ') : '';
  }
  history.replaceState(null, '', `#${encodeState(state)}`);
  // for the report: ms from navigation to the first result, and from the last edit to its result
  const now = performance.now();
  if (document.body.dataset.ready !== 'true') document.body.dataset.firstResultMs = String(Math.round(now));
  if (changedAt !== undefined) document.body.dataset.updateMs = String(Math.round(now - changedAt));
  changedAt = undefined;
  document.body.dataset.ready = 'true';
}

let timer: ReturnType<typeof setTimeout> | undefined;
let changedAt: number | undefined;
function schedule(): void {
  changedAt = performance.now();
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    update();
  }, 80);
}

window.addEventListener('hashchange', () => {
  const next = decodeState(location.hash);
  if (!next) return;
  Object.assign(state, next);
  setText(eventView, next.event);
  setText(mapView, next.map);
  setText(segmentView, next.segment);
  profileSelect.value = next.profile;
  selectTab(next.tab);
});

renderReference();
selectTab(state.tab);
update();
