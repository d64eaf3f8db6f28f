// The dependency audit gate (scripts/audit.sh) on recorded `npm audit --json` outputs: clean passes,
// an unexplained finding fails, an allow-listed one passes (until it expires), an unreachable
// service is a notice; and jsonpath-plus is used with script evaluation off.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const fixture = (name: string): string => new URL(`../fixtures/robustness/audit/${name}`, import.meta.url).pathname;

function audit(report: string, allowlist?: string): { code: number; out: string } {
  const r = spawnSync('bash', ['scripts/audit.sh'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, AUDIT_JSON: fixture(report), ...(allowlist ? { AUDIT_ALLOWLIST: fixture(allowlist) } : {}) },
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('scripts/audit.sh', () => {
  it.each([
    ['clean.json', undefined, 0, /OK no findings/],
    ['finding.json', undefined, 1, /FAIL 1 unexplained finding.*\n.*jsonpath-plus \(critical\)/],
    ['finding.json', 'allow-finding.json', 0, /explained jsonpath-plus critical[\s\S]*OK 1 finding\(s\), all explained/],
    ['finding.json', 'allow-expired.json', 1, /FAIL 1 unexplained/],
    ['unreachable-405.json', undefined, 0, /NOTICE .*unreachable \(HTTP 405/],
    ['offline.json', undefined, 0, /NOTICE .*unreachable \(ENOTFOUND/],
  ] as const)('%s with allow-list %s → exit %i', (report, allow, code, text) => {
    const r = audit(report, allow);
    expect(r.out).toMatch(text);
    expect(r.code).toBe(code);
  });

  it('the real allow-list is valid JSON and every entry has an id, a reason and an expiry', () => {
    const list = JSON.parse(readFileSync(new URL('../../scripts/audit-allowlist.json', import.meta.url), 'utf8')) as { advisories: Array<Record<string, unknown>> };
    for (const a of list.advisories) {
      expect(typeof a['id']).toBe('string');
      expect(String(a['reason']).length).toBeGreaterThan(10);
      expect(String(a['expires'])).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('jsonpath-plus script evaluation is off', () => {
  it('every JSONPath call in src passes eval: false', () => {
    const src = readFileSync(new URL('../../src/mapping/functions/jsonpath.ts', import.meta.url), 'utf8');
    const calls = src.match(/JSONPath\(\{[\s\S]*?\}\)/g) ?? [];
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c).toMatch(/eval:\s*false/);
  });
});
