// The dead-letter file under load and failure: 150k dead letters with back-pressure and no listener
// or memory left behind, a write error (/dev/full) surfacing instead of being buffered away, and a
// damaged file read to its last good line.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../src/runtime/dead-letter.js';
import { createDeadLetterFile, readDeadLetters } from '../../src/runtime/dead-letter-file.js';
import { deliver, DeliveryError } from '../../src/runtime/deliver.js';
import { replayDeadLetters } from '../../src/runtime/replay.js';
import { ev, fakeSource, KEY, SITE } from './helpers.js';

const letter = (i: number): DeadLetter => ({
  index: i,
  messageId: `m${i}`,
  subscription: 'Track Event',
  action: 'trackEvent',
  stage: 'size',
  request: { method: 'POST', url: 'https://track.customer.io/api/v2/entity', body: { pad: 'x'.repeat(1_000), i } },
  batching: null,
  status: null,
  reason: 'too big',
  outcomeUnknown: false,
  attempts: 0,
});

describe('dead-letter file', () => {
  it('150,000 dead letters through deliver: every line written, no listener warning, memory not retained', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cio-dl-'));
    const file = path.join(dir, 'dead.ndjson');
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    const N = 150_000;
    const pad = 'y'.repeat(1_000); // ~1 KB per letter: retaining them would cost > 150 MB
    function* events() {
      for (let i = 0; i < N; i++) yield ev(i, 'track', { attrs: { pad } });
    }
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    try {
      // every body is over maxItemBytes: each item fails locally (stage size), no request is made
      const report = await deliver(fakeSource(), events(), {
        maxItemBytes: 100,
        deadLetter: file,
        onOutcome: () => {
          if (++n % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        },
      }, { siteId: SITE, apiKey: KEY, endpoint: 'http://127.0.0.1:9' });
      expect(report.deadLetters).toBe(N);
      expect(report.requests).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
    let lines = 0;
    for await (const _ of readDeadLetters(file)) lines++;
    expect(lines).toBe(N);
    expect(peak - before).toBeLessThan(120 * 1024 * 1024);
  });

  it('a write error (/dev/full) is thrown by write or sync, never swallowed; nothing counts as written', async () => {
    if (!existsSync('/dev/full')) return expect.fail('/dev/full is needed for this test');
    const f = createDeadLetterFile('/dev/full', { append: true });
    await f.ready();
    let error: NodeJS.ErrnoException | undefined;
    try {
      for (let i = 0; i < 200; i++) await f.write(letter(i)); // 200 KB: more than one chunk
      await f.sync();
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    }
    expect(error?.code).toBe('ENOSPC');
    expect(f.written).toBe(0);
    await expect(f.write(letter(999))).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(f.close()).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('a write error while more lines are buffered (concurrent writers): sync and close reject, never spin', { timeout: 10_000 }, async () => {
    if (!existsSync('/dev/full')) return expect.fail('/dev/full is needed for this test');
    const f = createDeadLetterFile('/dev/full', { append: true });
    await f.ready();
    // writers keep coming while a chunk is being written (as dead letters do during a run)
    const writes: Array<Promise<string | undefined>> = [];
    for (let i = 0; i < 300; i++) {
      writes.push(Promise.resolve(f.write(letter(i))).then(() => 'ok', (e: NodeJS.ErrnoException) => e.code));
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    }
    writes.push(Promise.resolve(f.write(letter(300))).then(() => 'ok', (e: NodeJS.ErrnoException) => e.code)); // buffered, never written
    await expect(f.sync()).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(new Set(await Promise.all(writes))).toContain('ENOSPC');
    await expect(f.close()).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('deliver with deadLetter: /dev/full stops the run and names every event whose dead letter was not written', async () => {
    if (!existsSync('/dev/full')) return expect.fail('/dev/full is needed for this test');
    const pad = 'y'.repeat(1_000);
    const failedIdx: number[] = [];
    const err = await deliver(fakeSource(), Array.from({ length: 2_000 }, (_, i) => ev(i, 'track', { attrs: { pad } })), {
      maxItemBytes: 100,
      deadLetter: '/dev/full',
      onOutcome: (o) => void (o.outcome === 'failed' && failedIdx.push(o.index)),
    }, { siteId: SITE, apiKey: KEY, endpoint: 'http://127.0.0.1:9' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    const report = (err as DeliveryError).report;
    expect((err as DeliveryError).message).toMatch(/dead-letter sink failed: ENOSPC/);
    expect(report.stopReason).toBe('dead-letter');
    expect(report.events.total).toBeLessThan(2_000); // reading stopped
    // nothing reached /dev/full: every failed event is named
    expect(report.unrecorded).toEqual([...failedIdx].sort((a, b) => a - b));
  });

  it('sync makes every line written so far readable; close flushes the rest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cio-dl-'));
    const file = path.join(dir, 'dead.ndjson');
    const f = createDeadLetterFile(file);
    await f.ready();
    for (let i = 0; i < 3; i++) await f.write(letter(i));
    await f.sync();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    expect(f.written).toBe(3);
    await f.write(letter(3));
    await f.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('a damaged file is read to its last good line; bad lines are reported with their number', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cio-dl-'));
    const file = path.join(dir, 'dead.ndjson');
    const good = [0, 1, 2].map((i) => JSON.stringify(letter(i)));
    writeFileSync(file, `${good[0]}\n[1,2]\n${good[1]}\n{"index":5,"request":{"method":"GET"}}\n${good[2]}\n${good[2]!.slice(0, 40)}`);
    const bad: Array<{ line: number; message: string }> = [];
    const entries = [];
    for await (const e of replayDeadLetters(file, { onBadLine: (b) => bad.push(b) })) entries.push(e);
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(bad.map((b) => b.line)).toEqual([2, 4, 6]);
    expect(bad[0]!.message).toMatch(/line 2 is not a JSON object/);
    expect(bad[1]!.message).toMatch(/line 4: dead letter has a malformed request/);
    expect(bad[2]!.message).toMatch(/line 6 is not valid JSON \(a truncated or damaged line\?\)/);
    // without onBadLine the first bad line still throws (library callers that want all-or-nothing)
    await expect((async () => {
      for await (const _ of replayDeadLetters(file)) void _;
    })()).rejects.toThrow(/line 2/);
  });
});
