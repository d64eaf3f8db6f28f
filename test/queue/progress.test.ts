// ProgressLog (src/queue/progress.ts): durable done-set over dense sequence numbers; group commit,
// torn and damaged records ignored, compaction by rename, meta, and a SIGKILL crash test.

import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRanges, openProgressLog } from '../../src/queue/progress.js';
import { seededRandom } from '../../src/runtime/clock.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'cio-progress-'));
const records = (dir: string, name = 'done') => readFileSync(join(dir, `${name}.progress`), 'utf8').split('\n').filter(Boolean);

describe('encodeRanges', () => {
  it.each([
    [[], ''],
    [[3], '3'],
    [[5, 1, 2, 3, 9, 10], '1-3,5,9-10'],
    [[1, 1, 2], '1-2'],
  ])('%j → %s', (seqs, text) => expect(encodeRanges(seqs)).toBe(text));
});

describe('progress log', () => {
  it('starts empty, records done seqs, moves lowWater over the contiguous prefix and survives reopening', async () => {
    const dir = fresh();
    const log = await openProgressLog(dir);
    expect(log.lowWater).toBe(0);
    expect(log.meta).toBeUndefined();
    await log.markDone([0, 1, 2, 5, 7]);
    expect(log.lowWater).toBe(3);
    expect([4, 5, 6, 7].map((s) => log.isDone(s))).toEqual([false, true, false, true]);
    await log.markDone([3, 4]);
    expect(log.lowWater).toBe(6);
    await log.close();
    const again = await openProgressLog(dir);
    expect(again.lowWater).toBe(6);
    expect(again.isDone(7)).toBe(true);
    expect(again.isDone(6)).toBe(false);
    await again.close();
  });

  it('group commit: calls made while a write is running share the next write (one record each burst)', async () => {
    const dir = fresh();
    const log = await openProgressLog(dir);
    await Promise.all(Array.from({ length: 1_000 }, (_, i) => log.markDone([i])));
    expect(log.lowWater).toBe(1_000);
    // the first call starts a write alone; the other 999 arrive during it and share the second
    expect(records(dir)).toHaveLength(2);
    await log.close();
  });

  it('ignores a torn last record, cuts it off, and appends cleanly after it', async () => {
    const dir = fresh();
    const log = await openProgressLog(dir);
    await log.markDone([0, 1]);
    await log.close();
    appendFileSync(join(dir, 'done.progress'), '1234abcd D 2-9'); // a crash mid-write: no newline, wrong crc
    const again = await openProgressLog(dir);
    expect(again.lowWater).toBe(2);
    await again.markDone([2]);
    await again.close();
    const third = await openProgressLog(dir);
    expect(third.lowWater).toBe(3);
    await third.close();
    expect(readFileSync(join(dir, 'done.progress'), 'utf8')).not.toContain('1234abcd');
  });

  it('ignores a damaged record in the middle (only makes seqs look not done) and rewrites the file', async () => {
    const dir = fresh();
    const log = await openProgressLog(dir);
    await log.markDone([0]);
    await log.markDone([1]);
    await log.markDone([2]);
    await log.close();
    const file = join(dir, 'done.progress');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('D 1', 'D 9'); // checksum no longer matches
    writeFileSync(file, lines.join('\n'));
    const again = await openProgressLog(dir);
    expect(again.lowWater).toBe(1);
    expect(again.isDone(2)).toBe(true);
    expect(again.isDone(9)).toBe(false);
    await again.close();
    expect(records(dir).every((l) => !l.includes('D 9'))).toBe(true);
  });

  it('a file of garbage opens as empty, never fatal', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'done.progress'), '\u0000\u0000garbage\nmore garbage\n{"x":1}');
    const log = await openProgressLog(dir);
    expect(log.lowWater).toBe(0);
    await log.markDone([0]);
    expect(log.lowWater).toBe(1);
    await log.close();
  });

  it('keeps meta (last one wins) across reopen and compaction', async () => {
    const dir = fresh();
    const log = await openProgressLog(dir, 'run', { compactBytes: 256 });
    await log.setMeta({ input: 'a.ndjson', size: 1 });
    await log.setMeta({ input: 'b.ndjson', size: 2, nested: { ok: true, text: 'line\nbreak' } });
    for (let i = 0; i < 200; i++) await log.markDone([i]);
    expect(log.meta).toEqual({ input: 'b.ndjson', size: 2, nested: { ok: true, text: 'line\nbreak' } });
    await log.close();
    const again = await openProgressLog(dir, 'run');
    expect(again.meta).toEqual({ input: 'b.ndjson', size: 2, nested: { ok: true, text: 'line\nbreak' } });
    expect(again.lowWater).toBe(200);
    await again.close();
  });

  it('compacts by rename: the file stays small, holes above lowWater are kept, no temp file is left', async () => {
    const dir = fresh();
    const log = await openProgressLog(dir, 'done', { compactBytes: 1_024 });
    // seq 0 stays open (a hole), so every other done seq must be remembered individually
    for (let i = 1; i < 3_000; i += 2) await log.markDone([i + 1, i]);
    expect(log.lowWater).toBe(0);
    await log.markDone([0]);
    expect(log.lowWater).toBe(3_001);
    for (let i = 3_001; i < 6_000; i++) await log.markDone([i]);
    await log.close();
    expect(statSync(join(dir, 'done.progress')).size).toBeLessThan(8 * 1_024);
    expect(readdirSync(dir)).toEqual(['done.progress']);
    const again = await openProgressLog(dir);
    expect(again.lowWater).toBe(6_000);
    await again.close();
  });

  it('a stale temp file from a crash during compaction is ignored', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'done.progress.tmp'), 'half a compaction');
    const log = await openProgressLog(dir, 'done', { compactBytes: 64 });
    for (let i = 0; i < 50; i++) await log.markDone([i]);
    await log.close();
    const again = await openProgressLog(dir);
    expect(again.lowWater).toBe(50);
    await again.close();
  });

  it('rejects bad sequence numbers and names, and calls after close', async () => {
    const dir = fresh();
    await expect(openProgressLog(dir, '../escape')).rejects.toThrow(/progress log name/);
    const log = await openProgressLog(dir);
    await expect(log.markDone([-1])).rejects.toThrow(/not a non-negative integer/);
    await expect(log.markDone([1.5])).rejects.toThrow(/not a non-negative integer/);
    await log.close();
    await expect(log.markDone([0])).rejects.toThrow(/closed/);
  });

  it('after SIGKILL at seeded moments, every seq whose markDone resolved is still done', async () => {
    const dir = fresh();
    const random = seededRandom(12);
    const acknowledged = new Set<number>();
    const total = 6_000;
    for (let round = 0; round < 3; round++) {
      const killAfter = 200 + Math.floor(random() * 800); // acknowledged lines before the kill
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [join(import.meta.dirname, 'progress-child.mjs'), dir, '0', String(total)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let seen = 0;
        let buffered = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            if (!line.startsWith('ok ')) continue;
            for (const s of line.slice(3).split(' ')) acknowledged.add(Number(s));
            if (++seen === killAfter) child.kill('SIGKILL');
          }
        });
        child.on('error', reject);
        child.on('exit', () => resolve());
      });
      const log = await openProgressLog(dir, 'crash');
      const lost = [...acknowledged].filter((s) => !log.isDone(s));
      expect(lost).toEqual([]);
      await log.close();
    }
    expect(acknowledged.size).toBeGreaterThan(600);
  });
});
