// The REPL driven through stdin (no TTY: no prompts): values, a trigger, an error rendered like
// `check` and recovery after it, multi-line input, `let`, and the commands.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const EVENT = { type: 'track', event: 'Order Completed', userId: 'u1', properties: { total: 120, currency: 'eur', items: [{ sku: 'a' }, { sku: 'b' }] } };

async function session(lines: string[]) {
  const dir = tempDir({ 'event.json': JSON.stringify(EVENT) });
  return cli(['repl', '--event', path.join(dir, 'event.json')], { input: `${lines.join('\n')}\n` });
}

describe('repl through stdin', () => {
  it('evaluates, reports an error like check, and recovers', async () => {
    const r = await session([
      'type = "track" and properties.total > 100',
      'type = "track" and',
      '',
      'upper(properties.currency)',
      'properties.nothing',
      'properties.items[*].sku',
    ]);
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toMatch(/^cio-actions repl/);
    expect(r.stdout).toContain('true\n');
    expect(r.stdout).toMatch(/error\[(FQL|MAP)\d+\]/);
    expect(r.stdout).toContain('"EUR"\n');
    expect(r.stdout).toContain('missing\n');
    expect(r.stdout).toContain('["a","b"]\n');
    // recovery: the value after the error is still printed, in order
    expect(r.stdout.indexOf('"EUR"')).toBeGreaterThan(r.stdout.search(/error\[/));
  });

  it('shows what the compiler warns about above the value (trigger lints, Segment differences, date formats)', async () => {
    const r = await session(['properties.total > "100"', 'format_date("2024-12-30T00:00:00Z", "YYYY-MM-dd")', 'let $d = format_date(timestamp, "yyyy-MM-DD")', 'properties.total > 100']);
    expect(r.code).toBe(0);
    const lint = r.stdout.indexOf('warning[FQL211]');
    const date = r.stdout.indexOf('warning[MAP201]');
    const letWarning = r.stdout.indexOf('defined $d');
    const clean = r.stdout.lastIndexOf('true\n');
    expect(lint).toBeGreaterThan(0);
    expect(r.stdout).toContain('warning[FQL314]'); // Segment would coerce "100" with Number()
    expect(r.stdout.indexOf('false\n')).toBeGreaterThan(lint); // the warning comes before the value
    expect(date).toBeGreaterThan(lint);
    expect(r.stdout).toContain('"2025-12-30"'); // week-numbering year: exactly what the warning is about
    expect(r.stdout).toMatch(/`DD` is the day of the year[\s\S]*defined \$d/);
    expect(letWarning).toBeGreaterThan(date);
    // a clean input prints its value and nothing else
    const last = r.stdout.slice(letWarning + 'defined $d'.length);
    expect(last).toBe('\ntrue\n');
    expect(clean).toBeGreaterThan(letWarning);
  });

  it('joins an unfinished input with the next lines', async () => {
    const r = await session(['case properties.currency', '  when "eur" then "euro"', '  else "other"', 'end']);
    expect(r.stdout).toContain('"euro"\n');
  });

  it('keeps `let` definitions for later inputs', async () => {
    const r = await session(['let $t = properties.total', '$t > 100', ':lets']);
    expect(r.stdout).toContain('defined $t');
    expect(r.stdout).toContain('true\n');
    expect(r.stdout).toContain('let $t = properties.total');
  });

  it('switches the event, lists functions and action fields, and suggests commands', async () => {
    const dir = tempDir({ 'other.ndjson': `${JSON.stringify({ type: 'page' })}\n${JSON.stringify({ type: 'identify', traits: { plan: 'pro' } })}\n` });
    const r = await session([
      `:event ${path.join(dir, 'other.ndjson')} 2`,
      'traits.plan',
      ':event {"type": "screen"}',
      'type',
      ':functions',
      ':functions lower',
      ':fields trackEvnt',
      ':fields createUpdatePerson',
      ':evnt',
      ':quit',
      'type',
    ]);
    expect(r.stdout).toContain('"pro"\n');
    expect(r.stdout).toContain('"screen"\n');
    expect(r.stdout).toMatch(/\n {2}contains\s/);
    expect(r.stdout).toMatch(/lower\(/);
    expect(r.stdout).toContain('no action `trackEvnt` (did you mean `trackEvent`?)');
    expect(r.stdout).toMatch(/custom_attributes\s+/);
    expect(r.stdout).toContain('unknown command `:evnt` (did you mean `:event`?)');
    // nothing is evaluated after :quit
    expect(r.stdout.trimEnd().endsWith('(did you mean `:event`?); :help lists them')).toBe(true);
  });
});

describe('repl: what new users trip over (issue 16.7)', () => {
  it('lints as a trigger only what is used as one', async () => {
    const r = await session(['userId', '"{{ userId }} bought {{ count(properties.items) }} items"', 'properties.total > "100"']);
    const [plain, template] = r.stdout.split('\n').slice(2);
    expect(plain).toBe('"u1"');
    expect(template).toBe('"u1 bought 2 items"');
    expect(r.stdout).toContain('warning[FQL211]'); // the condition still gets its lint
    expect(r.stdout.indexOf('warning[')).toBeGreaterThan(r.stdout.indexOf('"u1 bought 2 items"'));
  });

  it('an unclosed `:event {` is an error, not a continuation that swallows the next commands', async () => {
    const r = await session([':event {"type": "page"', 'type', ':fields trackEvent']);
    expect(r.stdout).toContain('error: invalid JSON');
    expect(r.stdout).toContain('"track"\n'); // the event is unchanged and `type` was evaluated
    expect(r.stdout).toContain('trackEvent: Track Event');
  });

  it(':load FILE.map shows the final request for the current event', async () => {
    const dir = tempDir({
      'orders.map': 'target trackEvent\ntitle "Orders"\nwhen type = "track" and event = "Order Completed"\nname = "purchase"\ndata = { total: properties.total }\n',
      'pages.map': 'target trackPageView\nwhen type = "page"\n',
    });
    const r = await session([`:load ${path.join(dir, 'orders.map')}`, `:load ${path.join(dir, 'pages.map')}`]);
    expect(r.stdout).toContain('✓ the trigger matches\nPOST https://track.customer.io/api/v2/entity\n');
    expect(r.stdout).toContain('"name": "purchase"');
    expect(r.stdout).toContain('"total": 120');
    expect(r.stdout).toContain('✗ the trigger does not match: `type = "page"` is false (type is "track")');
  });
});

describe('repl: tab completion', () => {
  it('completes event paths as well as functions and commands', async () => {
    const { ReplSession } = await import('../../src/cli/repl/session.js');
    const { style } = await import('../../src/cli/output.js');
    const s = new ReplSession({ style: style(false), event: EVENT });
    expect(s.complete('properties.cu')).toEqual([['properties.currency'], 'properties.cu']);
    expect(s.complete('upper(properties.')).toEqual([['properties.currency', 'properties.items', 'properties.total'], 'properties.']);
    expect(s.complete('user')).toEqual([['userId'], 'user']);
    expect(s.complete('upp')[0]).toContain('upper');
    expect(s.complete(':lo')).toEqual([[':load'], ':lo']);
  });
});
