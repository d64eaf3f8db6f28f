// Unit tests of the CLI's own helpers: argument parsing, did-you-mean, NDJSON reading/writing,
// configuration validation, the diff of `test`, and the REPL's "is this input finished?" rule.

import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError, type CommandSpec } from '../../src/cli/args.js';
import { ConfigError, validateConfig } from '../../src/cli/config.js';
import { parseRegion as normalizeRegion } from '../../src/settings/settings.js';
import { createRedactor } from '../../src/settings/redact.js';
import { diffValues, formatDifference } from '../../src/cli/diff.js';
import { LineWriter, readLines } from '../../src/cli/ndjson.js';
import { useColor } from '../../src/cli/output.js';
import { isIncomplete } from '../../src/cli/repl/session.js';
import { didYouMean } from '../../src/cli/suggest.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: '',
  usage: '',
  options: {
    config: { type: 'string', short: 'c', description: '' },
    profile: { type: 'string', choices: ['strict', 'segment'], description: '' },
    send: { type: 'boolean', description: '' },
  },
  positionals: { min: 0, max: 1, name: 'one file' },
};

describe('parseArgs', () => {
  it.each([
    [['a.ndjson'], { positionals: ['a.ndjson'], options: {} }],
    [['--config', 'x.json', '-'], { positionals: ['-'], options: { config: 'x.json' } }],
    [['--config=x.json'], { positionals: [], options: { config: 'x.json' } }],
    [['-c', 'x.json', '--send'], { positionals: [], options: { config: 'x.json', send: true } }],
    [['--', '--send'], { positionals: ['--send'], options: {} }],
    [['--profile', 'segment'], { positionals: [], options: { profile: 'segment' } }],
  ])('%j', (argv, expected) => {
    const parsed = parseArgs(spec, argv);
    expect(parsed.positionals).toEqual(expected.positionals);
    expect({ ...parsed.options }).toEqual(expected.options);
  });

  it.each([
    [['--confg', 'x'], /unknown option `--confg`.*did you mean `--config`/],
    [['--profile', 'strcit'], /must be one of `strict`, `segment`, not `strcit` \(did you mean `strict`\?\)/],
    [['--config'], /needs a value/],
    [['--send=yes'], /takes no value/],
    [['a', 'b'], /at most 1 one file/],
    [['-x'], /unknown option `-x`/],
    [['--config', 'a', '--config', 'b'], /given twice/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(spec, argv)).toThrow(UsageError);
    expect(() => parseArgs(spec, argv)).toThrow(message);
  });

  it('sees --help anywhere', () => expect(parseArgs(spec, ['a', 'b', '--help']).help).toBe(true));
});

describe('didYouMean', () => {
  it.each([
    ['subscriptons', ['settings', 'subscriptions', 'profile'], 'subscriptions'],
    ['PROFILE', ['settings', 'profile'], 'profile'],
    ['xyz', ['settings', 'profile'], undefined],
    ['apikey', ['siteId', 'apiKey', 'region'], 'apiKey'],
  ])('%s', (input, candidates, expected) => expect(didYouMean(input, candidates)).toBe(expected));
});

async function lines(chunks: Array<string | Buffer>, max?: number) {
  const out = [];
  for await (const l of readLines(Readable.from(chunks), max)) out.push(l);
  return out;
}

describe('readLines', () => {
  it('splits across chunks, drops CR and a BOM, keeps blank lines and a last line without newline', async () => {
    const got = await lines(['\uFEFF{"a":', '1}\r\n\n{"b"', ':2}\r\n{"c":3}']);
    expect(got).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it('never splits a multi-byte character cut between chunks', async () => {
    const bytes = Buffer.from('{"name":"café ☕"}\n', 'utf8');
    const got = await lines([bytes.subarray(0, 12), bytes.subarray(12, 14), bytes.subarray(14)]);
    expect(got).toEqual([{ line: 1, text: '{"name":"café ☕"}' }]);
  });

  it('reports an over-long line by its size without keeping it, and goes on', async () => {
    const long = 'x'.repeat(5000);
    const got = await lines([`{"a":1}\n${long.slice(0, 2000)}`, `${long.slice(2000)}\n{"b":2}\n`], 1000);
    expect(got).toEqual([{ line: 1, text: '{"a":1}' }, { line: 2, tooLong: 5000 }, { line: 3, text: '{"b":2}' }]);
  });

  it('handles a huge line under the limit', async () => {
    const value = 'y'.repeat(3_000_000);
    const text = JSON.stringify({ value });
    const chunks = [];
    for (let i = 0; i < text.length; i += 65536) chunks.push(text.slice(i, i + 65536));
    const got = await lines([...chunks, '\n']);
    expect(got).toHaveLength(1);
    expect((JSON.parse(got[0]?.text ?? '') as { value: string }).value.length).toBe(3_000_000);
  });
});

describe('LineWriter', () => {
  it('waits for drain when the stream pushes back, and loses nothing', async () => {
    const sink = new PassThrough({ highWaterMark: 16 });
    const received: Buffer[] = [];
    const writer = new LineWriter(sink, 32);
    let waited = 0;
    const reading = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      for await (const c of sink) received.push(c as Buffer);
    })();
    for (let i = 0; i < 200; i++) {
      const p = writer.writeJson({ i });
      if (p) {
        waited++;
        await p;
      }
    }
    await writer.end();
    sink.end();
    await reading;
    const text = Buffer.concat(received).toString();
    expect(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([...Array(200).keys()]);
    expect(waited).toBeGreaterThan(0);
  });
});

describe('validateConfig', () => {
  const ok = { settings: { siteId: 'site-123', apiKey: 'key-secret-456' } };
  it('accepts a minimal config and fills defaults', () => {
    expect(validateConfig(ok, { env: {} })).toMatchObject({ presets: 'quick', profile: 'strict', settings: { region: 'US' }, subscriptions: [], delivery: {} });
  });

  it('lets the environment supply or override credentials and region', () => {
    const c = validateConfig({ settings: { siteId: 'file-site', apiKey: 'file-key' } }, { env: { CUSTOMERIO_API_KEY: 'env-key', CUSTOMERIO_REGION: 'EU 🇪🇺' } });
    expect(c.settings).toEqual({ siteId: 'file-site', apiKey: 'env-key', region: 'EU' });
    expect(validateConfig({}, { env: { CUSTOMERIO_SITE_ID: 's-1', CUSTOMERIO_API_KEY: 'k-1' } }).settings.siteId).toBe('s-1');
  });

  it.each([
    [{ settings: { siteId: 'site-123' } }, ['$.settings.apiKey: missing; set it in the configuration file or in CUSTOMERIO_API_KEY']],
    [{ ...ok, subscriptons: [] }, ['$.subscriptons: unknown key (did you mean `subscriptions`?)']],
    [{ settings: { ...ok.settings, apikey: 'x' , region: 'ASIA' } }, ['$.settings.apikey: unknown key (did you mean `apiKey`?)', '$.settings.region: must be "US" or "EU", not "ASIA"']],
    [{ ...ok, presets: 'quik' }, ['$.presets: must be one of "quick", "all", "none", not "quik" (did you mean `quick`?)']],
    [{ ...ok, subscriptions: ['a.map', 3, 'b.txt'] }, ['$.subscriptions[1]: must be a file path', '$.subscriptions[2]: "b.txt" must end in .map or .json']],
    [{ ...ok, delivery: { concurency: 2, timeoutMs: 'soon', retry: { maxAttempts: 0 } } }, ['$.delivery.concurency: unknown key (did you mean `concurrency`?)', '$.delivery.timeoutMs: must be an integer, not a string', '$.delivery.retry.maxAttempts: must be between 1 and 50, not 0']],
    [{ settings: { siteId: 12, apiKey: '   ' } }, ['$.settings.siteId: must be a string, not a number', '$.settings.apiKey: must not be empty']],
    [[], ['$: the configuration must be a JSON object, not a list']],
  ])('reports every mistake with its JSON path: %j', (doc, expected) => {
    let error: ConfigError | undefined;
    try {
      validateConfig(doc, { env: {} });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toHaveLength(expected.length);
    expected.forEach((text, i) => expect(error?.problems[i]).toContain(text));
  });

  it('never puts a credential value in a message', () => {
    try {
      validateConfig({ settings: { siteId: 'site-123', apiKey: ['key-secret-456'] }, extra: 1 }, { env: {} });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('key-secret-456');
      expect((e as Error).message).not.toContain('site-123');
    }
  });

  it.each([
    ['US', 'US'],
    ['eu', 'EU'],
    ['US 🇺🇸', 'US'],
    ['Mars', undefined],
  ])('normalizeRegion(%s)', (input, expected) => expect(normalizeRegion(input)).toBe(expected));
});

describe('diffValues', () => {
  it('names each differing field by path, ignoring key order', () => {
    const expected = { id: 'u1', data: { plan: 'pro', items: [{ sku: 'a' }, { sku: 'b' }], 'odd key': 1 }, gone: true };
    const actual = { data: { items: [{ sku: 'a' }, { sku: 'B' }], plan: 'pro', extra: null }, id: 'u1' };
    expect(diffValues(expected, actual, 'fields').map(formatDifference)).toEqual([
      'fields.data.items[1].sku: expected "b", got "B"',
      'fields.data["odd key"]: missing (expected 1)',
      'fields.data.extra: unexpected null',
      'fields.gone: missing (expected true)',
    ]);
  });
  it('finds nothing when equal', () => expect(diffValues({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]));
  it('tells 1 from "1"', () => expect(diffValues({ a: 1 }, { a: '1' })).toHaveLength(1));
});

describe('output', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
  ])('useColor(%j, %j) = %s', (stream, env, expected) => expect(useColor(stream as never, env)).toBe(expected));

  it('redacts secrets, longest first', () => {
    // The CLI now uses the library's one redactor: `[redacted]` (was `***` here, `[redacted]` elsewhere).
    const redact = createRedactor({ others: ['abcd', 'abcdef', undefined, 'xy'] });
    expect(redact('key abcdef and abcd and xy')).toBe('key [redacted] and [redacted] and xy');
  });
});

describe('isIncomplete (REPL continuation)', () => {
  it.each([
    ['type = "track"', false],
    ['type = "track" and', true],
    ['merge(traits, {', true],
    ['case lower(x) when "a" then 1', true],
    ['case lower(x) when "a" then 1 end', false],
    ['"an ( open paren in a string"', false],
    ["'unterminated", true],
    ['traits.email ??', true],
    ['traits.email | lower', false],
    [':event', false],
    ['x # trailing comment with (', false],
  ])('%s → %s', (text, expected) => expect(isIncomplete(text)).toBe(expected));
});

describe('editDistance', () => {
  it.each([
    ['check', 'check', 0],
    ['chekc', 'check', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s = %d', async (a, b, d) => {
    const { editDistance } = await import('../../src/cli/suggest.js');
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('progress line', () => {
  const fakeStream = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) } as never };
  };
  it('redraws on a TTY after the first second and erases itself at the end', async () => {
    const { startProgress } = await import('../../src/cli/progress.js');
    const { chunks, stream } = fakeStream(true);
    const counters = { events: 12_345, requests: 10_000, errors: 7, failed: 5 };
    const p = startProgress(stream, counters, 20);
    await new Promise((r) => setTimeout(r, 1150));
    p.stop();
    expect(chunks.some((c) => /^\r\u001b\[K12,345 events · 10,000 requests · 7 errors · [\d,]+ events\/s$/.test(c))).toBe(true);
    expect(chunks.at(-1)).toBe('\r\u001b[K');
  });
  it('stays silent when stderr is not a terminal', async () => {
    const { startProgress } = await import('../../src/cli/progress.js');
    const { chunks, stream } = fakeStream(false);
    const p = startProgress(stream, { events: 1, requests: 0, errors: 0, failed: 0 }, 10);
    await new Promise((r) => setTimeout(r, 1100));
    p.stop();
    expect(chunks).toEqual([]);
  });
});

describe('inputIndex (send: deliver positions → input positions around unreadable lines)', () => {
  it.each([
    [0, [], 0],
    [3, [], 3],
    [0, [0], 1],
    [1, [0, 2], 3],
    [2, [0, 2], 4],
    [1, [5], 1],
    [5, [5], 6],
  ])('d=%d bad=%j → %d', async (d, bad, expected) => {
    const { inputIndex } = await import('../../src/cli/send.js');
    expect(inputIndex(d, bad)).toBe(expected);
  });
});
