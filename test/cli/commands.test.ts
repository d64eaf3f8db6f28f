// The other commands through the built binary: check (text and JSON), eval, test (pass and a
// field-level diff), explain, import-segment, help and unknown commands; each with its exit code.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, EXAMPLES, ROOT, tempDir } from './helpers.js';

const MAPS = path.join(EXAMPLES, 'maps');

describe('help and unknown commands', () => {
  it('lists every command', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['run', 'check', 'eval', 'test', 'repl', 'import-segment', 'explain']) expect(r.stdout).toContain(`  ${name}`);
  });

  it.each(['run', 'check', 'eval', 'test', 'repl', 'import-segment', 'explain'])('%s --help', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: cio-actions ${name} `));
    expect(r.stdout).toContain('-h, --help');
  });

  it('suggests the closest command', async () => {
    const r = await cli(['chekc', 'x.map']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command `chekc` (did you mean `check`?)');
  });

  it('exits 2 without a command', async () => expect((await cli([])).code).toBe(2));
});

describe('check', () => {
  const files = {
    'good.fql': 'type = "track" and event = "Order Completed"\n',
    'bad.fql': 'type == "track" and\n',
    'bad.map': 'target createUpdatePerson\nidentifers = userId\nemail = lower(traits.email\n',
  };

  it('passes the examples folder', async () => {
    const r = await cli(['check', MAPS]);
    expect(r.stdout).toMatch(/\d+ files checked: 0 errors/);
    expect(r.code).toBe(0);
  });

  it('renders each diagnostic with its source line and a caret, and exits 1', async () => {
    const dir = tempDir(files);
    const r = await cli(['check', path.join(dir, 'good.fql'), path.join(dir, 'bad.fql'), path.join(dir, 'bad.map')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad.fql:1:6');
    expect(r.stdout).toContain('type == "track" and');
    expect(r.stdout).toMatch(/\^/);
    expect(r.stdout).toContain('bad.map:2:1');
    expect(r.stdout).toContain('identifers');
    expect(r.stdout).toMatch(/3 files checked: [2-9] errors/);
  });

  it('prints one JSON document with --format json', async () => {
    const dir = tempDir(files);
    const r = await cli(['check', '--format', 'json', path.join(dir, 'bad.fql'), path.join(dir, 'good.fql')]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { files: number; errors: number; diagnostics: Array<Record<string, unknown>> };
    expect(doc.files).toBe(2);
    expect(doc.errors).toBeGreaterThanOrEqual(2);
    for (const d of doc.diagnostics) {
      expect(d.file).toBe(path.join(dir, 'bad.fql'));
      expect(d.code).toMatch(/^FQL\d{3}$/);
      expect(d).toMatchObject({ severity: 'error', line: expect.any(Number), column: expect.any(Number) });
    }
    expect(doc.diagnostics[0]).toMatchObject({ line: 1, column: 6 });
  });

  it.each([
    [['check', 'missing.map'], 'missing.map: file not found'],
    [['check', 'README.md'], '`check` reads .map and .fql files'],
    [['check'], 'needs at least one'],
  ])('%j exits 2', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('eval', () => {
  const event = JSON.stringify({ type: 'track', event: 'Order Completed', properties: { total: 120, tags: ['vip'] }, traits: { email: 'a@corp.example.com' } });
  it.each([
    ['type = "track" and properties.total > 100', 'true'],
    ['"vip" in properties.tags and !(event = "Refund")', 'true'],
    ['match(traits.email, "*@corp.example.com")', 'true'],
    ['type = "identify" or properties.total < 100', 'false'],
    ['properties.missing = null', 'true'],
  ])('%s → %s', async (fql, expected) => {
    const dir = tempDir({ 'event.json': event });
    const r = await cli(['eval', fql, '--event', path.join(dir, 'event.json')]);
    expect(r.stdout).toBe(`${expected}\n`);
    expect(r.code).toBe(0);
  });

  it('evaluates every line of an NDJSON file, and reads stdin with -', async () => {
    const input = `${event}\n${JSON.stringify({ type: 'page' })}\n`;
    const r = await cli(['eval', 'type = "track"', '--event', '-'], { input });
    // each NDJSON line with its line number and messageId (issue 16.10: was a bare true/false per line)
    expect(r.stdout).toBe('line 1: true\nline 2: false\n');
  });

  it('shows warnings on stderr and still evaluates', async () => {
    const r = await cli(['eval', 'trais.email != null', '--event', '-'], { input: event });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('false\n');
    expect(r.stderr).toMatch(/warning\[FQL\d+\]/);
  });

  it('prints the diagnostics and exits 1 for a bad trigger', async () => {
    const r = await cli(['eval', 'type = "track" and', '--event', '-'], { input: event });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error\[FQL\d+\]/);
    expect(r.stderr).toContain('type = "track" and');
  });
});

describe('test', () => {
  it('runs every example of the example .map files', async () => {
    const r = await cli(['test', MAPS]);
    const count = readdirSync(MAPS)
      .map((f) => (readFileSync(path.join(MAPS, f), 'utf8').match(/^example "/gm) ?? []).length)
      .reduce((a, b) => a + b, 0);
    expect(r.stdout).toContain(`${count} examples: ${count} passed, 0 failed`);
    expect(r.code).toBe(0);
  });

  it('shows a field-level diff for a failing example, and exits 1', async () => {
    const dir = tempDir({
      'people.map': `target createUpdatePerson
when type = "identify"
email = traits.email | lower
custom_attributes = { plan: upper(traits.plan) }

example "expects the wrong case" {
  input:  { "type": "identify", "userId": "u1", "traits": { "email": "A@X.io", "plan": "pro" } }
  fields: { "id": "u1", "email": "A@X.io", "custom_attributes": { "plan": "PRO", "seats": 3 },
            "convert_timestamp": true, "enable_batching": true, "batch_size": 50 }
}
`,
    });
    const r = await cli(['test', path.join(dir, 'people.map')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗');
    expect(r.stdout).toContain('expects the wrong case');
    expect(r.stdout).toContain('fields.email: expected "A@X.io", got "a@x.io"');
    expect(r.stdout).toContain('fields.custom_attributes.seats: missing (expected 3)');
    expect(r.stdout).toContain('1 example: 0 passed, 1 failed');
  });

  it('lets an example leave out fields that only carry the action default, but compares a stated one', async () => {
    const dir = tempDir({
      'people.map': `target createUpdatePerson
when type = "identify"
email = traits.email | trim | lower
convert_timestamp = false

example "defaults left out (the spec's own style)" {
  input:  { "type": "identify", "userId": "u1", "traits": { "email": " Ann@X.io " } }
  fields: { "id": "u1", "email": "ann@x.io", "custom_attributes": { "email": " Ann@X.io " }, "convert_timestamp": false }
}

example "a stated default is compared" {
  input:  { "type": "identify", "userId": "u1" }
  fields: { "id": "u1", "convert_timestamp": false, "batch_size": 10 }
}
`,
    });
    const r = await cli(['test', path.join(dir, 'people.map')]);
    expect(r.stdout).toContain('fields.batch_size: expected 10, got 50');
    expect(r.stdout).not.toContain('enable_batching');
    expect(r.stdout).toContain('2 examples: 1 passed, 1 failed');
    expect(r.code).toBe(1);
  });

  it('checks `body:` expectations against the request the action builds', async () => {
    const dir = tempDir({
      'merge.map': `target mergePeople
example "an email on the left" {
  input: { "type": "alias", "userId": "ann@example.com", "previousId": "anon-1" }
  body:  { "type": "person", "action": "merge", "primary": { "id": "ann@example.com" }, "secondary": { "id": "anon-1" } }
}
`,
    });
    const r = await cli(['test', path.join(dir, 'merge.map')]);
    expect(r.code).toBe(1);
    // the builder detects the email: the body says {email}, not {id}
    expect(r.stdout).toContain('body.primary.id: missing (expected "ann@example.com")');
    expect(r.stdout).toContain('body.primary.email: unexpected "ann@example.com"');
  });
});

describe('explain', () => {
  it('shows the action, the trigger, the paths read and the defaults the file keeps', async () => {
    const r = await cli(['explain', path.join(MAPS, 'orders.map')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/action\s+trackEvent/);
    expect(r.stdout).toMatch(/trigger\s+type = "track" and event = "Order Completed"/);
    expect(r.stdout).toMatch(/reads\s+trigger: event, type/);
    expect(r.stdout).toContain('properties.products');
    expect(r.stdout).toMatch(/event_id\s+= messageId/); // a default the file does not override
    expect(r.stdout).toMatch(/name\s+= "purchase"/);
    // the file's `let` is shown where it runs, before the field that uses it
    const letAt = r.stdout.search(/let \$currency = upper\(properties\.currency \?: "EUR"\)\s+# line 8/);
    expect(letAt).toBeGreaterThan(0);
    expect(r.stdout.indexOf('currency: $currency')).toBeGreaterThan(letAt);
  });

  it('uses the action default trigger when the file has no `when`', async () => {
    const r = await cli(['explain', '--format', 'json', path.join(MAPS, 'deliveries.map')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { action: string; trigger: string; reads: { trigger: string[] } };
    expect(doc.action).toBe('reportDeliveryEvent');
    expect(doc.trigger).toContain('Report Delivery Event');
    expect(doc.reads.trigger).toEqual(['event']);
  });

  it('exits 1 with diagnostics for a broken file', async () => {
    const dir = tempDir({ 'x.map': 'target trackEvnt\n' });
    const r = await cli(['explain', path.join(dir, 'x.map')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('trackEvnt');
  });
});

describe('import-segment', () => {
  it('turns a list of Segment subscriptions into .map text that compiles', async () => {
    const r = await cli(['import-segment', path.join(EXAMPLES, 'segment/lifecycle.json')]);
    expect(r.code).toBe(0);
    expect((r.stdout.match(/^target /gm) ?? []).length).toBe(7);
    expect(r.stdout).toContain('target deleteDevice');
    // each subscription (a `target` line with the comment lines just before it) is a valid .map file
    const lines = r.stdout.split('\n');
    const starts = lines.flatMap((l, i) => (l.startsWith('target ') ? [i] : [])).map((i) => {
      let j = i;
      while (j > 0 && (lines[j - 1] ?? '').startsWith('#')) j--;
      return j;
    });
    const dir = tempDir();
    const files = starts.map((start, k) => {
      const file = path.join(dir, `part-${k}.map`);
      writeFileSync(file, lines.slice(start, starts[k + 1]).join('\n'));
      return file;
    });
    const check = await cli(['check', ...files]);
    expect(check.stdout).toContain('7 files checked: 0 errors');
    expect(check.code).toBe(0);
  });

  it('writes one file per subscription with --out-dir', async () => {
    const dir = tempDir();
    const r = await cli(['import-segment', path.join(ROOT, 'test/data/segment-parity/segment-presets.json'), '--out-dir', dir]);
    expect(r.code).toBe(0);
    const written = readdirSync(dir).sort();
    expect(written).toHaveLength(15);
    expect(written).toContain('create-or-update-person.map');
    const check = await cli(['check', dir]);
    expect(check.code).toBe(0);
  });

  it('reads a single subscription from stdin', async () => {
    const sub = { name: 'People', partnerAction: 'createUpdatePerson', subscribe: 'type = "identify"', mapping: { email: { '@path': '$.traits.email' } } };
    const r = await cli(['import-segment', '-'], { input: JSON.stringify(sub) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('target createUpdatePerson');
    expect(r.stdout).toMatch(/email\s*=\s*traits\.email/);
  });
});
