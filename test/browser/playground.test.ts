// The playground in headless Chromium (Debian's, driven by playwright-core; no browser download):
// the built page from file:// and from `cio-actions playground`, a mapping typed with an unknown
// field (the diagnostic at its line:col, the request pane saying why there is no body), the
// one-click fix, the body compared with what `cio-actions run` prints, a link that reopens the
// same case, the Segment tab, the narrow layout, keyboard focus, and no console errors or network.
// Screenshots of the main states go to test-results/playground/.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, ROOT } from '../cli/helpers.js';
import { PLAYGROUND_SETTINGS } from '../../playground/model.js';
import { findChromium, launchArgs } from './chromium.js';

const PAGE_DIR = path.join(ROOT, 'dist', 'playground');
const FILE_URL = pathToFileURL(path.join(PAGE_DIR, 'index.html')).href;
/** Where the screenshots go (gitignored); two of them are copied into docs/images/ for the README. */
export const SHOTS = path.join(ROOT, 'test-results', 'playground');

const EVENT_LINE = readFileSync(path.join(ROOT, 'examples', 'events.ndjson'), 'utf8').split('\n')[2] as string; // track "Product Viewed", msg-003
const BROKEN = ['target trackEvent', 'title "Playground test"', 'when type = "track"', '', 'name = snakecase(event)', 'dta = properties'];
const FIXED = BROKEN.map((l) => l.replace(/^dta /, 'data '));

interface Watched {
  page: Page;
  problems: string[];
  foreign: string[];
}

let context: BrowserContext;
let profileDir: string;

/** A page that records console errors, uncaught exceptions and any request that is not the page's own. */
async function open(url: string, viewport = { width: 1280, height: 800 }, ready = 'body[data-ready=true]'): Promise<Watched> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const problems: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => {
    if (!/^(file:|data:|http:\/\/127\.0\.0\.1:)/.test(r.url())) foreign.push(r.url());
  });
  await page.goto(url);
  await page.waitForSelector(ready, { state: 'attached' });
  return { page, problems, foreign };
}

async function typeMapping(page: Page, lines: readonly string[]): Promise<void> {
  const editor = page.locator('[data-testid=mapping] .cm-content');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Home'); // whatever indentation Enter carried over
      await page.keyboard.press('Delete');
    }
    await page.keyboard.type(line);
  }
}

async function setEvent(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid=event] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

const requestBody = async (page: Page): Promise<unknown> => JSON.parse((await page.locator('[data-testid=request] pre.body').first().textContent()) ?? '');

/** What `cio-actions run` prints for the same event, mapping and profile: the one request line. */
async function cliRequest(mapping: readonly string[], profile: 'strict' | 'segment'): Promise<{ method: string; url: string; body: unknown }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cio-pg-cli-'));
  writeFileSync(path.join(dir, 'case.map'), `${mapping.join('\n')}\n`);
  writeFileSync(path.join(dir, 'event.ndjson'), `${EVENT_LINE}\n`);
  writeFileSync(path.join(dir, 'destination.json'), JSON.stringify({ settings: PLAYGROUND_SETTINGS, presets: 'none', profile, subscriptions: ['case.map'] }));
  const r = await cli(['run', path.join(dir, 'event.ndjson'), '--config', path.join(dir, 'destination.json')]);
  rmSync(dir, { recursive: true, force: true });
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { request?: { method: string; url: string; body: unknown } });
  expect(lines).toHaveLength(1);
  return lines[0]?.request as { method: string; url: string; body: unknown };
}

describe('the playground in headless Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(PAGE_DIR, 'playground.js'))) throw new Error(`${PAGE_DIR} is not built: run \`npm run build:playground\` (npm run test:browser does)`);
    mkdirSync(SHOTS, { recursive: true });
    profileDir = mkdtempSync(path.join(tmpdir(), 'cio-pg-profile-'));
    // the shared flags resolve no host name at all; the served page is on 127.0.0.1, which stays reachable
    const args = launchArgs.map((a) => (a.startsWith('--host-resolver-rules=') ? `${a}, EXCLUDE 127.0.0.1` : a));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: findChromium(), headless: true, args, viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('loads from file:// offline with a first result and every hook in place', async () => {
    const w = await open(FILE_URL);
    const firstResult = Number(await w.page.locator('body').getAttribute('data-first-result-ms'));
    for (const id of ['event', 'mapping', 'profile', 'trigger-result', 'fields', 'request', 'diagnostics']) await expect(w.page.locator(`[data-testid=${id}]`).count()).resolves.toBe(1);
    // the default case is a real result: an example mapping and an event it turns into a request
    await expect(w.page.locator('[data-testid=trigger-result] .verdict').textContent()).resolves.toContain('true');
    expect(await requestBody(w.page)).toMatchObject({ type: 'person', action: 'event' });
    await expect(w.page.locator('[data-testid=mapping] .tok-keyword').count()).resolves.toBeGreaterThan(0);
    await w.page.screenshot({ path: path.join(SHOTS, '01-initial.png'), fullPage: true });
    // peers measured in the same run, for the report (not asserted: speed is not a test here):
    // a blank page's load in the same browser, and `cio-actions run` for one event and one mapping
    const blankDir = mkdtempSync(path.join(tmpdir(), 'cio-pg-blank-'));
    writeFileSync(path.join(blankDir, 'blank.html'), '<!doctype html><title>blank</title>');
    const blank = await open(pathToFileURL(path.join(blankDir, 'blank.html')).href, undefined, 'body');
    const blankMs = await blank.page.evaluate<number>("performance.getEntriesByType('navigation')[0].loadEventEnd");
    await blank.page.close();
    rmSync(blankDir, { recursive: true, force: true });
    const cliStarted = Date.now();
    await cliRequest(FIXED, 'strict');
    const cliMs = Date.now() - cliStarted;
    const timings = { firstResultMs: firstResult, blankPageLoadMs: Math.round(blankMs), cliRunOneEventMs: cliMs, firstResultVsCliRun: Number((firstResult / cliMs).toFixed(2)) };
    writeFileSync(path.join(SHOTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    expect(w.problems).toEqual([]);
    expect(w.foreign).toEqual([]);
    await w.page.close();
  });

  it('an unknown field: a diagnostic at its line:col, no body and why; one click fixes it and the body is what `cio-actions run` prints', async () => {
    const w = await open(FILE_URL);
    const { page } = w;
    await page.locator('#example-event').selectOption('2'); // line 3 of examples/events.ndjson
    await typeMapping(page, BROKEN);
    const diag = page.locator('[data-testid=diagnostics] li.diag[data-code=MAP101]');
    await diag.waitFor();
    const latency = Number(await page.locator('body').getAttribute('data-update-ms')); // last keystroke → diagnostics shown
    await expect(diag.textContent()).resolves.toContain('6:1');
    await expect(diag.textContent()).resolves.toContain('`dta` is not a field of trackEvent');
    await expect(diag.textContent()).resolves.toContain('error'); // a word, not only a colour
    const why = page.locator('[data-testid=request] .why');
    await expect(why.textContent()).resolves.toMatch(/^no request: the mapping has 1 error; the first at line 6:1: `dta` is not a field of trackEvent/);
    await expect(page.locator('[data-testid=request] pre.body').count()).resolves.toBe(0);
    await page.evaluate('document.activeElement.blur()'); // the editor's caret out of the picture
    await page.screenshot({ path: path.join(SHOTS, '02-unknown-field.png'), fullPage: true });
    await page.screenshot({ path: path.join(SHOTS, 'readme-unknown-field.png') }); // 1280×800, as docs/images/playground-unknown-field.png
    // the squiggle, and its message and hint on hover
    await page.locator('.cm-lintRange-error').first().hover();
    await page.locator('.cm-tooltip-lint').waitFor();
    await expect(page.locator('.cm-tooltip-lint').textContent()).resolves.toContain('did you mean `data`?');
    await page.screenshot({ path: path.join(SHOTS, '02b-hover.png'), fullPage: true });

    // one click applies the checker's "did you mean"
    await page.mouse.move(0, 0);
    await page.locator('[data-testid=diagnostics] button.fix').click();
    await page.locator('[data-testid=request] pre.body').waitFor();
    await expect(page.locator('[data-testid=diagnostics] li.diag.error').count()).resolves.toBe(0);
    const cliStrict = await cliRequest(FIXED, 'strict');
    expect(await requestBody(page)).toEqual(cliStrict.body);
    await expect(page.locator('[data-testid=request] .method').textContent()).resolves.toBe(cliStrict.method);
    await expect(page.locator('[data-testid=request] .url').textContent()).resolves.toBe(cliStrict.url);
    await expect(page.locator('[data-testid=fields] tr.mapping').count()).resolves.toBe(2);
    await expect(page.locator('[data-testid=fields] tr.default .badge').first().textContent()).resolves.toBe('action default');
    await page.screenshot({ path: path.join(SHOTS, '03-fixed.png'), fullPage: true });
    await page.screenshot({ path: path.join(SHOTS, 'readme-fixed.png') }); // as docs/images/playground-fixed.png

    // the reference follows the mapping's action and is searchable
    await expect(page.locator('#ref-fields-caption').textContent()).resolves.toMatch(/^trackEvent: /);
    await page.locator('#ref-search').fill('snake');
    await expect(page.locator('#ref-functions summary').allTextContents()).resolves.toEqual([expect.stringMatching(/^snakecase\(/)]);
    await page.locator('#ref-search').fill('');

    // the other profile, compared the same way
    await page.locator('[data-testid=profile]').selectOption('segment');
    const cliSegment = await cliRequest(FIXED, 'segment');
    await expect.poll(() => requestBody(page)).toEqual(cliSegment.body);

    // a link with the state reopens the same result
    const link = page.url();
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const again = await open(link);
    expect(await requestBody(again.page)).toEqual(cliSegment.body);
    await expect(again.page.locator('[data-testid=profile]').inputValue()).resolves.toBe('segment');
    await expect(again.page.locator('[data-testid=mapping] .cm-line').allTextContents()).resolves.toEqual(FIXED);
    await expect(again.page.locator('[data-testid=trigger-result]').innerText()).resolves.toBe(await page.locator('[data-testid=trigger-result]').innerText());
    await expect(again.page.locator('[data-testid=fields]').innerText()).resolves.toBe(await page.locator('[data-testid=fields]').innerText());

    writeFileSync(path.join(SHOTS, 'timings.json'), `${JSON.stringify({ ...JSON.parse(readFileSync(path.join(SHOTS, 'timings.json'), 'utf8')), typedToDiagnosticMs: latency }, null, 2)}\n`);
    expect([...w.problems, ...again.problems]).toEqual([]);
    expect([...w.foreign, ...again.foreign]).toEqual([]);
    await again.page.close();
    await page.close();
  });

  it('the Segment tab shows the imported .map text and the same body both ways', async () => {
    const w = await open(FILE_URL);
    const { page } = w;
    await setEvent(page, JSON.stringify({ type: 'track', event: 'Device Deleted', userId: 'u_ana', messageId: 'm-1', context: { device: { token: 'tok-1' } } }));
    await page.locator('#tab-segment').click();
    await page.locator('#example-segment').selectOption({ label: 'Delete Device' });
    await expect.poll(() => page.locator('[data-testid=segment-map] .cm-content').innerText()).toContain('target deleteDevice');
    await expect(page.locator('#segment-same').textContent()).resolves.toBe('= the same request both ways');
    await expect(page.locator('#segment-imported pre.body').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(SHOTS, '04-segment-import.png'), fullPage: true });
    expect(w.problems).toEqual([]);
    await page.close();
  });

  it('reads on a narrow window and works with the keyboard alone', async () => {
    const w = await open(FILE_URL, { width: 390, height: 844 });
    const { page } = w;
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, '05-narrow.png'), fullPage: true });
    // Tab walks the controls in order and into the editors (Tab is not captured by them)
    const seen: string[] = [];
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate<string>("(e => e ? e.id || e.getAttribute('aria-label') || e.tagName : '')(document.activeElement)"));
    }
    expect(seen).toEqual(expect.arrayContaining(['tab-map', 'profile', 'copy-link', 'example-event', 'Event JSON', 'example-map', '.map subscription']));
    // arrow keys switch tabs
    await page.locator('#tab-map').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#tab-segment').getAttribute('aria-selected')).resolves.toBe('true');
    expect(w.problems).toEqual([]);
    await page.close();
  });

  it('`cio-actions playground` serves the same page on 127.0.0.1', async () => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'playground', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        child.once('exit', (code) => reject(new Error(`playground exited with ${code}`)));
      });
      const { listening } = JSON.parse(first) as { listening: string };
      expect(listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const w = await open(`${listening}/`);
      expect(await requestBody(w.page)).toMatchObject({ type: 'person', action: 'event' });
      await setEvent(w.page, EVENT_LINE);
      await typeMapping(w.page, FIXED);
      await expect.poll(() => requestBody(w.page)).toEqual((await cliRequest(FIXED, 'strict')).body);
      // only the page's three files are served
      const res = await fetch(`${listening}/package.json`);
      expect(res.status).toBe(404);
      expect(w.problems).toEqual([]);
      expect(w.foreign).toEqual([]);
      await w.page.close();
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    expect(code).toBe(0);
  });
});
