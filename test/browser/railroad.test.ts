// The railroad-diagram pages (grammar/railroad-*.html) render offline in headless Chromium: one
// diagram per parser rule, no script errors, and a real screenshot. Run by `npm run test:browser`.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serializedGrammars } from '../../src/parser/index.js';
import { ROOT } from '../cli/helpers.js';
import { findChromium, launchArgs } from './chromium.js';

const GRAMMAR = path.join(ROOT, 'grammar');
const ruleNames = (gast: unknown) => (gast as Array<{ name: string }>).map((r) => r.name);

describe('railroad diagrams in headless Chromium', () => {
  const chromium = findChromium();
  const flags = (dir: string) => [...launchArgs, `--user-data-dir=${dir}`, '--virtual-time-budget=5000'];

  it.each([
    ['railroad-fql.html', 'fql'],
    ['railroad-map.html', 'map'],
  ] as const)('%s renders one diagram per rule, offline, without script errors', (page, lang) => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'cio-rr-'));
    const url = pathToFileURL(path.join(GRAMMAR, page)).href;
    const run = spawnSync(chromium, [...flags(path.join(tmp, 'profile-dom')), '--enable-logging=stderr', '--v=0', '--dump-dom', url], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    const rules = ruleNames(serializedGrammars()[lang]);
    expect((run.stdout.match(/<svg/g) ?? []).length).toBe(rules.length);
    for (const rule of rules) expect(run.stdout).toContain(rule);
    const consoleErrors = run.stderr.split('\n').filter((l) => /CONSOLE/.test(l) && /Uncaught|Error/.test(l));
    expect(consoleErrors).toEqual([]);

    // and a screenshot: a real, non-trivial image
    const shot = path.join(tmp, `${lang}.png`);
    execFileSync(chromium, [...flags(path.join(tmp, 'profile-shot')), '--window-size=1200,1600', `--screenshot=${shot}`, url], { stdio: 'ignore', timeout: 60_000 });
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });
});
