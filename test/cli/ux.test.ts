// What a new user meets first (issue 16): warnings that reach the NDJSON and the summary, errors
// that say where, one line numbering, skips with reasons, a dry run without credentials, --explain.

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, EXAMPLES, ndjson, tempDir } from './helpers.js';

const CONFIG = path.join(EXAMPLES, 'destination.json');
const CREDENTIALS = { CUSTOMERIO_SITE_ID: 'site-1', CUSTOMERIO_API_KEY: 'key-1' };

describe('run: every warning reaches the user', () => {
  it('puts the warnings of a request on its line and counts them in the summary', async () => {
    const input = [
      JSON.stringify({ type: 'track', userId: 'u1', event: 'X', timestamp: 'yesterday' }),
      JSON.stringify({ type: 'identify', userId: 'u1', traits: { created_at: 'yesterday' } }),
      JSON.stringify({ type: 'identify', userId: 'u2', traits: { created_at: '2024-06-03T09:00:00Z' } }),
    ].join('\n');
    const r = await cli(['run', '-'], { input, env: CREDENTIALS });
    expect(r.code).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows).toHaveLength(3);
    expect(rows[0]?.warnings).toEqual(['timestamp dropped: not a date Customer.io can read']);
    expect(rows[1]?.warnings).toEqual(['created_at dropped: not a date Customer.io can read']);
    expect(rows[2]).not.toHaveProperty('warnings');
    expect(r.stderr).toContain('3 events: 3 requests, 0 failed, 2 warnings');
  });

  it('--send reports the same warnings: a line per event and subscription, counted in the summary', async () => {
    const input = [
      JSON.stringify({ type: 'track', userId: 'u1', event: 'X', timestamp: 'yesterday', messageId: 'w1' }),
      '',
      JSON.stringify({ type: 'identify', userId: 'u1', traits: { created_at: 'yesterday' }, messageId: 'w2' }),
      JSON.stringify({ type: 'identify', userId: 'u2', traits: { created_at: '2024-06-03T09:00:00Z' } }),
    ].join('\n');
    const { startFakeTrackServer } = await import('../fake-server/server.js');
    const server = await startFakeTrackServer({ siteId: 'site-1', apiKey: 'key-1' });
    try {
      const r = await cli(['run', '-', '--send', '--endpoint', server.url], { input, env: CREDENTIALS });
      expect(r.code).toBe(0);
      const rows = ndjson(r.stdout).filter((row) => 'warnings' in row);
      expect(rows).toEqual([
        { event: 1, messageId: 'w1', subscription: 'Track Event', action: 'trackEvent', warnings: ['timestamp dropped: not a date Customer.io can read'] },
        { event: 3, messageId: 'w2', subscription: 'Create or Update Person', action: 'createUpdatePerson', warnings: ['created_at dropped: not a date Customer.io can read'] },
      ]);
      expect(r.stderr).toMatch(/3 events: 3 requests, 0 failed, 2 warnings/);
    } finally {
      await server.close();
    }
  });
});

describe('run: an event error says where', () => {
  it('names the field path, the .map file:line:column of the expression and the value that failed', async () => {
    const r = await cli(['run', path.join(EXAMPLES, 'bad-events.ndjson'), '--config', CONFIG]);
    const orders = ndjson(r.stdout).find((row) => row.subscription === 'Orders');
    expect(orders?.error).toEqual({
      message: 'required value is missing: number(properties.total) is null (properties.total is "12,50")',
      field: 'data.total',
      at: 'examples/maps/orders.map:13:3',
    });
    const pages = ndjson(r.stdout).find((row) => row.subscription === 'Page views');
    expect(pages?.error).toEqual({
      message: 'required field `url` (Page URL) has no value (from `properties.url ?? context.page.url`)',
      field: 'url',
      at: 'examples/maps/pages.map:7',
    });
  });

  it('names list items and nested keys, in a .map file of its own', async () => {
    const dir = tempDir({
      'items.map': [
        'target trackEvent',
        'when type = "track"',
        'name = event',
        'data = {',
        '  items: each properties.products as $p {',
        '    sku: required($p.sku)',
        '  }',
        '}',
        '',
      ].join('\n'),
      'destination.json': JSON.stringify({ presets: 'none', subscriptions: ['items.map'] }),
    });
    const input = JSON.stringify({ type: 'track', userId: 'u', event: 'Order', properties: { products: [{ sku: 'a' }, { name: 'no sku' }] } });
    const r = await cli(['run', '-', '--config', path.join(dir, 'destination.json')], { input, env: CREDENTIALS, cwd: dir });
    expect(ndjson(r.stdout)[0]?.error).toEqual({ message: 'required value is missing: $p.sku is missing', field: 'data.items[1].sku', at: 'items.map:6:5' });
    expect(r.code).toBe(1);
  });
});

describe('one numbering: the 1-based input line, as editors show it', () => {
  const good = JSON.stringify({ type: 'identify', userId: 'u1', messageId: 'm1' });
  const notObject = '[1, 2]';
  const input = ['', good, '{"type":"tra', '', notObject, good].join('\n');

  it('dry run: every row (request, parse error, non-object error) carries its line; columns are 1-based', async () => {
    const r = await cli(['run', '-'], { input, env: CREDENTIALS });
    const rows = ndjson(r.stdout);
    expect(rows.map((row) => [row.event, 'request' in row ? 'request' : 'error'])).toEqual([
      [2, 'request'],
      [3, 'error'],
      [5, 'error'],
      [6, 'request'],
    ]);
    expect((rows[1]?.error as { message: string }).message).toBe('line 3: invalid JSON: Unterminated string at column 13');
  });

  it('--send: error rows use the same line numbers', async () => {
    const { startFakeTrackServer } = await import('../fake-server/server.js');
    const server = await startFakeTrackServer({ siteId: 'site-1', apiKey: 'key-1' });
    try {
      const r = await cli(['run', '-', '--send', '--endpoint', server.url], { input, env: CREDENTIALS });
      const errors = ndjson(r.stdout).filter((row) => 'error' in row);
      expect(errors.map((row) => row.event)).toEqual([3, 5]);
    } finally {
      await server.close();
    }
  });
});

describe('run: the summary counts skipped events with their reasons', () => {
  it('says which events no subscription took, and suggests the type that was meant', async () => {
    const input = [
      JSON.stringify({ type: 'identify', userId: 'u1' }),
      JSON.stringify({ type: 'trak', userId: 'u1', event: 'X' }),
      JSON.stringify({ userId: 'u1' }),
      JSON.stringify({ type: 'trak', userId: 'u2', event: 'Y' }),
      JSON.stringify({ type: 'alias', userId: 'u1', previousId: 'a' }),
    ].join('\n');
    const r = await cli(['run', '-', '--presets', 'quick'], { input, env: CREDENTIALS });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('5 events: 1 request, 0 failed, 4 skipped (dry run)');
    expect(r.stderr).toContain('2 skipped: unknown type `trak`: did you mean `track`? (lines 2, 4)');
    expect(r.stderr).toContain('1 skipped: no subscription matched: the event has no `type` (line 3)');
    expect(r.stderr).toContain('1 skipped: no subscription matched (type `alias`) (line 5)');
  });
});

describe('a dry run needs no credentials', () => {
  it('runs without a configuration or CUSTOMERIO_* variables; the URL shows the region', async () => {
    const input = JSON.stringify({ type: 'identify', userId: 'u1' });
    const us = await cli(['run', '-'], { input });
    expect(us.code).toBe(0);
    expect((ndjson(us.stdout)[0]?.request as { url: string }).url).toBe('https://track.customer.io/api/v2/entity');
    const eu = await cli(['run', '-'], { input, env: { CUSTOMERIO_REGION: 'EU' } });
    expect((ndjson(eu.stdout)[0]?.request as { url: string }).url).toBe('https://track-eu.customer.io/api/v2/entity');
  });

  it('still needs them to --send', async () => {
    const r = await cli(['run', '-', '--send', '--endpoint', 'http://127.0.0.1:9'], { input: '{}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.settings.siteId: missing');
  });
});

describe('run --explain: a per-event why', () => {
  it('shows for each event what matched, what did not and why, the warnings, and why nothing was sent', async () => {
    const input = [
      JSON.stringify({ type: 'track', userId: 'u1', event: 'X', timestamp: 'yesterday', messageId: 'm1' }),
      JSON.stringify({ type: 'trak', userId: 'u1' }),
    ].join('\n');
    const r = await cli(['run', '-', '--explain'], { input });
    expect(r.code).toBe(0);
    const [first, second] = r.stdout.split('\n\n');
    expect(first).toContain('line 1 · m1 · track "X"');
    expect(first).toContain('✓ Track Event (trackEvent): POST https://track.customer.io/api/v2/entity');
    expect(first).toContain('warning: timestamp dropped: not a date Customer.io can read');
    expect(first).toContain('✗ Create or Update Person: `type = "identify"` is false (type is "track")');
    expect(first).toContain('→ 1 request');
    expect(second).toContain('→ nothing sent: unknown type `trak`: did you mean `track`?');
    expect(r.stderr).toContain('2 events: 1 request, 0 failed, 1 skipped, 1 warning (dry run)');
  });

  it('shows the failing subscription with the .map position; --only narrows to one subscription', async () => {
    const r = await cli(['run', path.join(EXAMPLES, 'bad-events.ndjson'), '--config', CONFIG, '--explain', '--only', 'Orders']);
    const blocks = r.stdout.split('\n\n');
    const last = blocks.find((b) => b.startsWith('line 5'));
    expect(last).toContain('! Orders (trackEvent): error in data.total: required value is missing: number(properties.total) is null (properties.total is "12,50") (examples/maps/orders.map:13:3)');
    expect(last).toContain('→ nothing sent: the matching subscription failed');
    expect(last).not.toContain('People');
    expect(blocks.find((b) => b.startsWith('line 1'))).toContain('✗ Orders: `type = "track"` is false (type is "identify")');
    expect(r.code).toBe(1);
    const typo = await cli(['run', path.join(EXAMPLES, 'bad-events.ndjson'), '--config', CONFIG, '--only', 'Order']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--only: no subscription titled "Order" (did you mean `Orders`?)');
  });

  it('--only and --pretty shape a plain dry run too', async () => {
    const input = JSON.stringify({ type: 'identify', userId: 'u1', traits: { email: 'a@b.co' } });
    const r = await cli(['run', '-', '--config', CONFIG, '--only', 'People', '--pretty'], { input });
    const docs = r.stdout.trim().split(/\n(?=\{)/).map((t) => JSON.parse(t) as { subscription: string });
    expect(docs.map((d) => d.subscription)).toEqual(['People']);
    expect(r.stdout).toContain('\n  "messageId"');
  });
});

describe('run: overlapping subscriptions are reported before the first event', () => {
  it('prints the overlap warning with an example event on stderr', async () => {
    const dir = tempDir({
      'signups.map': 'target trackEvent\ntitle "Signups"\nwhen type = "track" and event = "Signup"\nname = "signup"\n',
      'destination.json': JSON.stringify({ subscriptions: ['signups.map'] }),
    });
    const input = JSON.stringify({ type: 'track', userId: 'u1', event: 'Signup' });
    const r = await cli(['run', '-', '--config', path.join(dir, 'destination.json')], { input });
    expect(r.stderr).toContain('warning: subscription "Signups" and preset "Track Event" both feed trackEvent, e.g. for {"type":"track","event":"Signup"}');
    expect(ndjson(r.stdout).map((row) => row.subscription)).toEqual(['Signups']);
  });
});

describe('smaller points (issue 16.10)', () => {
  it('check --no-segment-lints silences the Segment-compatibility warnings only', async () => {
    const dir = tempDir({ 'a.fql': "type = 'track' and Type = \"track\"\n" });
    const all = await cli(['check', path.join(dir, 'a.fql')]);
    expect(all.stdout).toMatch(/warning\[FQL3\d\d\]/);
    const quiet = await cli(['check', '--no-segment-lints', path.join(dir, 'a.fql')]);
    expect(quiet.stdout).not.toMatch(/FQL3\d\d/);
    expect(quiet.stdout).toContain('warning[FQL214]: `Type` is not a field of Segment events: did you mean `type`?');
  });

  it('"lints": {"segment": false} in destination.json silences them too (check --config, eval --config), and is checked', async () => {
    const dir = tempDir({
      'a.fql': "type = 'track' and Type = \"track\"\n",
      'quiet.json': JSON.stringify({ lints: { segment: false } }),
      'loud.json': JSON.stringify({ lints: { segment: true } }),
      'bad.json': JSON.stringify({ lints: { segmnet: false } }),
    });
    const quiet = await cli(['check', '--config', path.join(dir, 'quiet.json'), path.join(dir, 'a.fql')]);
    expect(quiet.stdout).not.toMatch(/FQL3\d\d/);
    expect(quiet.stdout).toContain('warning[FQL214]');
    const loud = await cli(['check', '--config', path.join(dir, 'loud.json'), path.join(dir, 'a.fql')]);
    expect(loud.stdout).toMatch(/warning\[FQL3\d\d\]/);
    const evalQuiet = await cli(['eval', '--config', path.join(dir, 'quiet.json'), "type = 'track'"]);
    const evalLoud = await cli(['eval', "type = 'track'"]);
    expect(evalLoud.stderr).toMatch(/FQL3\d\d/);
    expect(evalQuiet.stderr).not.toMatch(/FQL3\d\d/);
    const bad = await cli(['check', '--config', path.join(dir, 'bad.json'), path.join(dir, 'a.fql')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('$.lints.segmnet: unknown key (did you mean `segment`?)');
  });

  it('eval --event FILE.ndjson prints each result with its line number and messageId', async () => {
    const dir = tempDir({ 'e.ndjson': `${JSON.stringify({ type: 'track', messageId: 'm1' })}\n\n${JSON.stringify({ type: 'page' })}\n` });
    const r = await cli(['eval', 'type = "track"', '--event', path.join(dir, 'e.ndjson')]);
    expect(r.stdout).toBe('line 1 (m1): true\nline 3: false\n');
  });
});

describe('hints that point at the real mistake (issue 16.10)', () => {
  it.each([
    ['name = "abc\n', 'help: close it with `"` on the same line (strings do not span lines)'],
    ["name = 'it's'\n", 'use the other style ("…") for text with `\'`'],
    ['name = event | default: "x"\n', "help: Liquid's `default` filter is `??` here"],
    ['name = event | truncate: 5\n', "help: Liquid's `| truncate: arg` is written `| truncate(arg)` here"],
  ])('%j', async (body, hint) => {
    const dir = tempDir({ 'a.map': `target trackEvent\n${body}` });
    const r = await cli(['check', path.join(dir, 'a.map')]);
    expect(r.stdout).toContain(hint);
  });

  it('the REPL blames a missing list, not the `each` variable', async () => {
    const r = await cli(['repl'], { input: 'each properties.nope as $p { a: $p.x }\n' });
    expect(r.stdout).toContain('missing  (`properties.nope` is missing, so `each` over it is missing)');
    expect(r.stdout).not.toContain('$p is not defined');
  });
});

describe('several subscriptions in one .map file (issue 16.10)', () => {
  it('import-segment notes --out-dir; check reports the second target once, with the hint', async () => {
    const imported = await cli(['import-segment', path.join(EXAMPLES, 'segment/lifecycle.json')]);
    expect(imported.stderr).toMatch(/note: \d+ subscriptions printed one after another; a \.map file holds one: write one file each with --out-dir DIR/);
    const dir = tempDir({ 'all.map': imported.stdout });
    const r = await cli(['check', path.join(dir, 'all.map')]);
    expect(r.stdout).toContain('1 file checked: 1 error, 0 warnings');
    expect(r.stdout).toMatch(/a second `target` header \(\d+ more diagnostics after it not shown: they follow from it\)/);
    expect(r.stdout).toContain('cio-actions import-segment FILE.json --out-dir DIR');
  });
});

describe('shell completion (issue 16.11)', () => {
  it('bash: completes commands, options and option choices from the commands’ own tables', async () => {
    const r = await cli(['completion', 'bash']);
    expect(r.code).toBe(0);
    const { spawnSync } = await import('node:child_process');
    const words = (line: string, cword: number) =>
      spawnSync('bash', ['-c', `${r.stdout}\nCOMP_WORDS=(${line}); COMP_CWORD=${cword}; _cio_actions; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' }).stdout.trim();
    expect(words('cio-actions ex', 1)).toBe('explain');
    expect(words('cio-actions run --ex', 2)).toBe('--explain');
    expect(words('cio-actions run --profile se', 3)).toBe('segment');
    expect(words('cio-actions check --no', 2)).toBe('--no-segment-lints');
  });

  it('zsh and fish scripts, and a clear error for another shell', async () => {
    expect((await cli(['completion', 'zsh'])).stdout).toMatch(/^autoload -U \+X bashcompinit/);
    const fish = await cli(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c cio-actions -n '__fish_seen_subcommand_from run' -l profile -x -a 'strict segment'");
    const bad = await cli(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown shell `tcsh`: bash, zsh or fish');
  });
});

/** A `--watch` child: its output so far, and a bounded wait on a condition (the stderr says why it failed). */
function watching(child: ChildProcessWithoutNullStreams) {
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const until = async (test: () => boolean) => {
    for (let i = 0; i < 600 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(test(), out.stderr).toBe(true);
  };
  return { child, out, until };
}

describe('check --watch (issue 16.11)', () => {
  it('checks again when the file changes', async () => {
    const { spawn } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { BIN } = await import('./helpers.js');
    const dir = tempDir({ 'a.map': 'target trackEvent\nname = event\n' });
    const file = path.join(dir, 'a.map');
    const { child, out, until } = watching(spawn(process.execPath, [BIN, 'check', '--watch', file], { env: { ...process.env, NO_COLOR: '1' } }));
    try {
      await until(() => out.stderr.includes('watching'));
      expect(out.stdout).toContain('1 file checked: 0 errors, 0 warnings');
      writeFileSync(file, 'target trackEvent\nidentifers = userId\n');
      await until(() => out.stdout.includes('error[MAP101]'));
      expect(out.stdout).toContain('1 file checked: 1 error');
    } finally {
      child.kill();
    }
  });
});

describe('run --watch (issue 16.11)', () => {
  it('runs again when the events file, the configuration or a subscription file changes', async () => {
    const { spawn } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { BIN } = await import('./helpers.js');
    const event = (name: string) => `${JSON.stringify({ type: 'track', userId: 'u1', event: name })}\n`;
    const dir = tempDir({
      'events.ndjson': event('First'),
      'a.map': 'target trackEvent\ntitle "Mine"\nwhen type = "track"\nname = event\n',
      'b.map': 'target trackEvent\ntitle "Other"\nwhen type = "track"\nname = "other"\n',
      'destination.json': JSON.stringify({ presets: 'none', subscriptions: ['a.map'] }),
    });
    const { child, out, until } = watching(
      spawn(process.execPath, [BIN, 'run', '--watch', path.join(dir, 'events.ndjson'), '--config', path.join(dir, 'destination.json')], { env: { ...process.env, NO_COLOR: '1' } }),
    );
    const runs = () => out.stderr.split('watching').length - 1;
    const names = () => ndjson(out.stdout).map((row) => (row.request as { body: { name?: string } }).body.name);
    try {
      await until(() => runs() === 1);
      expect(names()).toEqual(['First']);
      writeFileSync(path.join(dir, 'events.ndjson'), event('Second'));
      await until(() => runs() === 2);
      expect(names()).toEqual(['First', 'Second']);
      writeFileSync(path.join(dir, 'a.map'), 'target trackEvent\ntitle "Mine"\nwhen type = "track"\nname = upper(event)\n');
      await until(() => runs() === 3);
      expect(names().at(-1)).toBe('SECOND');
      writeFileSync(path.join(dir, 'destination.json'), JSON.stringify({ presets: 'none', subscriptions: ['b.map'] }));
      await until(() => runs() === 4);
      expect(names().at(-1)).toBe('other');
      // the new subscription file is watched from then on
      writeFileSync(path.join(dir, 'b.map'), 'target trackEvent\ntitle "Other"\nwhen type = "track"\nname = "changed"\n');
      await until(() => runs() === 5);
      expect(names().at(-1)).toBe('changed');
    } finally {
      child.kill();
    }
  });

  it('refuses --send and stdin', async () => {
    const send = await cli(['run', '--watch', '--send', 'x.ndjson'], { env: CREDENTIALS });
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('--watch only applies to a dry run');
    const stdin = await cli(['run', '--watch', '-'], { input: '{}' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('--watch needs an events file');
  });
});
