// The local journal (src/queue/journal.ts) as an EventQueue: durable append with group commit,
// read oldest-first and follow, done + segment deletion, limits, recovery with torn tails,
// redelivery counts after a restart, and the messageId dedupe window (across restarts too).

import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../src/queue/journal.js';
import { QueueFullError, type QueuedEvent } from '../../src/queue/types.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'cio-journal-'));
const ev = (i: number, extra: Record<string, unknown> = {}) => ({ type: 'track', event: 'E', userId: `u${i % 5}`, messageId: `m${i}`, n: i, ...extra });
const segs = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.seg'));

/** Reads `n` events from the journal, then stops reading. */
async function take(j: Journal, n: number): Promise<QueuedEvent[]> {
  const out: QueuedEvent[] = [];
  if (n === 0) return out;
  const ac = new AbortController();
  for await (const q of j.read(ac.signal)) {
    out.push(q);
    if (out.length === n) ac.abort();
  }
  return out;
}

describe('journal', () => {
  it('appends durably, hands events out oldest first, and follows new appends', async () => {
    const j = await openJournal({ dir: fresh() });
    await j.append([ev(0), ev(1)]);
    const ac = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const q of j.read(ac.signal)) {
        seen.push(q.event.n as number);
        expect(q.redelivered).toBe(0);
        if (seen.length === 5) ac.abort();
      }
    })();
    await j.append([ev(2)]);
    await j.append([ev(3), ev(4)]);
    await reading;
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(j.stats()).toMatchObject({ depth: 5 });
    await j.close();
  });

  it('group commit: concurrent appends share writes and all resolve', async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    await Promise.all(Array.from({ length: 300 }, (_, i) => j.append([ev(i)])));
    expect(j.stats().depth).toBe(300);
    const got = await take(j, 300);
    expect(got.map((q) => q.event.n)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    await j.close();
  });

  it('done events are not handed out again, after restart either; finished segments are deleted', async () => {
    const dir = fresh();
    const j = await openJournal({ dir, segmentBytes: 2_000 });
    for (let i = 0; i < 100; i += 10) await j.append(Array.from({ length: 10 }, (_, k) => ev(i + k)));
    expect(segs(dir).length).toBeGreaterThan(3);
    const got = await take(j, 100);
    await j.done(got.slice(0, 60).map((q) => q.id));
    const before = segs(dir).length;
    await j.done(got.slice(60, 90).map((q) => q.id));
    expect(segs(dir).length).toBeLessThan(before);
    await j.close();
    const again = await openJournal({ dir, segmentBytes: 2_000 });
    expect(again.stats().depth).toBe(10);
    const rest = await take(again, 10);
    expect(rest.map((q) => q.event.n)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(rest.every((q) => q.redelivered === 1)).toBe(true); // handed out before the restart
    expect(again.stats().redelivered).toBe(10);
    await again.done(rest.map((q) => q.id));
    expect(again.stats()).toMatchObject({ depth: 0, bytes: 0 });
    await again.close();
    const third = await openJournal({ dir });
    expect(third.stats().depth).toBe(0);
    expect(segs(dir)).toHaveLength(1); // only the fresh tail
    await third.close();
  });

  it('events appended but never handed out come back with redelivered 0', async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    await j.append([ev(0), ev(1), ev(2)]);
    await j.close();
    const again = await openJournal({ dir });
    const got = await take(again, 3);
    expect(got.map((q) => q.redelivered)).toEqual([0, 0, 0]);
    await again.close();
  });

  it('a new read after a stopped one starts again at the oldest not-done event', async () => {
    const j = await openJournal({ dir: fresh() });
    await j.append([ev(0), ev(1), ev(2)]);
    const first = await take(j, 3);
    await j.done([first[1]!.id]);
    const second = await take(j, 2);
    expect(second.map((q) => [q.event.n, q.redelivered])).toEqual([[0, 1], [2, 1]]);
    await j.close();
  });

  it('a torn record at the tail (crash mid-write) is ignored and the journal keeps working', async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    await j.append([ev(0), ev(1)]);
    await j.close();
    const tail = segs(dir).sort().at(-1)!;
    appendFileSync(join(dir, tail), 'deadbeef 2 17000000 {"type":"track","mess');
    const again = await openJournal({ dir });
    expect(again.stats()).toMatchObject({ depth: 2, damaged: 1 });
    await again.append([ev(2)]);
    const got = await take(again, 3);
    expect(got.map((q) => q.event.n)).toEqual([0, 1, 2]);
    expect(new Set(got.map((q) => q.id)).size).toBe(3);
    await again.close();
  });

  it('over its limits, append rejects with QueueFullError and accepts nothing of that call', async () => {
    const j = await openJournal({ dir: fresh(), maxEvents: 5 });
    await j.append([ev(0), ev(1), ev(2)]);
    await expect(j.append([ev(3), ev(4), ev(5)])).rejects.toBeInstanceOf(QueueFullError);
    expect(j.stats().depth).toBe(3);
    await j.append([ev(3), ev(4)]);
    const got = await take(j, 5);
    await j.done(got.map((q) => q.id));
    await j.append([ev(5)]); // room again once events are done
    await j.close();
    const small = await openJournal({ dir: fresh(), maxBytes: 200 });
    await expect(small.append([ev(0, { big: 'x'.repeat(300) })])).rejects.toThrow(/journal is full/);
    await small.close();
  });

  it('a messageId seen inside the window is acknowledged once and queued once, also after a restart and after its segment was deleted', async () => {
    const dir = fresh();
    let now = 1_000_000;
    const j = await openJournal({ dir, dedupeWindowMs: 60_000, now: () => now });
    await j.append([ev(0), ev(1), ev(0)]); // a duplicate inside one request too
    await Promise.all([j.append([ev(2)]), j.append([ev(2)])]);
    expect(j.stats()).toMatchObject({ depth: 3, deduplicated: 2 });
    await j.close();

    const again = await openJournal({ dir, dedupeWindowMs: 60_000, now: () => now, segmentBytes: 1 });
    await again.append([ev(1)]); // recovered from the segment
    expect(again.stats()).toMatchObject({ depth: 3, deduplicated: 1 });
    const got = await take(again, 3);
    await again.done(got.map((q) => q.id));
    await again.append([ev(9)]); // rolls the tail: the segment with m0..m2 is now finished and deleted
    await again.close();

    const third = await openJournal({ dir, dedupeWindowMs: 60_000, now: () => now });
    await third.append([ev(0), ev(2)]); // remembered through dedupe.ids
    expect(third.stats()).toMatchObject({ depth: 1, deduplicated: 2 });
    now += 61_000; // past the window: a new event with an old id is accepted
    await third.append([ev(0)]);
    expect(third.stats().depth).toBe(2);
    await third.close();
  });

  it('with the window off, every copy is queued', async () => {
    const j = await openJournal({ dir: fresh(), dedupeWindowMs: 0 });
    await j.append([ev(0), ev(0)]);
    expect(j.stats().depth).toBe(2);
    await j.close();
  });

  it('rejects unknown ids in done and appends after close', async () => {
    const j = await openJournal({ dir: fresh() });
    await expect(j.done(['7'])).rejects.toThrow(/unknown event id/);
    await expect(j.done(['x'])).rejects.toThrow(/unknown event id/);
    await j.close();
    await expect(j.append([ev(0)])).rejects.toThrow(/closed/);
  });
});
