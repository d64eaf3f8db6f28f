// `run --threads N` (issue #15): the dry run on worker threads writes the same bytes, the same
// summary and the same exit code as the single-thread run, on the parity corpus cut into many jobs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';

/** The parity corpus twice (several 1 MB jobs), every event with a timestamp (no "now" in the output), plus lines of every kind. */
function corpus(): string {
  const events = readFileSync(path.join(ROOT, 'test/data/segment-parity/events.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      if (e.timestamp === undefined) e.timestamp = '2024-06-03T09:00:00.000Z';
      return JSON.stringify(e);
    });
  const odd = ['', '{"type":"track",', '[1,2]', '{"type":"trak","userId":"u1"}', '   ', '{"type":"identify","userId":"u9","traits":{"created_at":"yesterday"},"timestamp":"2024-06-03T09:00:00Z"}\r'];
  const lines: string[] = [];
  for (let round = 0; round < 2; round++) {
    events.forEach((line, i) => {
      lines.push(line);
      if (i % 97 === 0) lines.push(odd[(i / 97) % odd.length] as string);
    });
  }
  return `\ufeff${lines.join('\n')}\n`;
}

describe('run --threads', () => {
  it('writes byte for byte what the single-thread run writes, with the same summary and exit code', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'events.ndjson');
    writeFileSync(file, corpus());
    const single = await cli(['run', file, '--threads', '1']);
    const threaded = await cli(['run', file, '--threads', '2']);
    expect(single.code).toBe(1); // the bad lines fail
    expect(threaded.code).toBe(single.code);
    expect(threaded.stdout.length).toBeGreaterThan(2_000_000); // several jobs of 1 MB of input
    expect(threaded.stdout === single.stdout).toBe(true);
    expect(threaded.stderr).toBe(single.stderr);
    expect(single.stderr).toMatch(/events: \d+ requests, \d+ failed, \d+ skipped, \d+ warnings \(dry run\)/);
  });

  it('exit code 0 for a clean file, also with threads; a file without a final line break', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'events.ndjson');
    const clean = corpus()
      .split('\n')
      .filter((l) => l.includes('"timestamp"') && !l.includes('yesterday') && !l.includes('"trak"'))
      .join('\n');
    writeFileSync(file, clean); // no trailing newline
    const single = await cli(['run', file, '--threads', '1', '--presets', 'all']);
    const threaded = await cli(['run', file, '--threads', '3', '--presets', 'all']);
    expect(threaded.code).toBe(single.code);
    expect(threaded.stdout === single.stdout).toBe(true);
    expect(threaded.stderr).toBe(single.stderr);
  });

  it('rejects a bad --threads and refuses it with --send', async () => {
    const bad = await cli(['run', '-', '--threads', 'many'], { input: '{}' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--threads: expected a number of threads from 1 to 16 (or auto), got "many"');
    const send = await cli(['run', '-', '--send', '--threads', '2'], { input: '{}', env: { CUSTOMERIO_SITE_ID: 's', CUSTOMERIO_API_KEY: 'k' } });
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('--threads only applies to a dry run');
  });
});
