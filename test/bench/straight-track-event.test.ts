// The whole-event bound of `npm run bench` (bench/straight-track-event.ts) is only a bound if it
// does the same job: on every parity event the Track Event preset serves alone, it must give the
// request `process` gives, and it must decline every event that preset does not serve.
import { describe, expect, it } from 'vitest';
import { servedByTrackEventAlone, straightTrackEvent } from '../../bench/straight-track-event.js';
import { events, presetDestination } from '../parity/corpus.js';

const destination = presetDestination();
const BASE = 'https://track.customer.io';

describe('the straight-code Track Event bound', () => {
  const served = servedByTrackEventAlone(destination, events);

  it('covers the Track Event events of the corpus', () => {
    expect(served.length).toBeGreaterThan(700);
  });

  it('gives process’s request, byte for byte, on every one of them', () => {
    const differ: number[] = [];
    for (const [i, e] of served.entries()) {
      const ours = destination.process(e).requests[0];
      if (JSON.stringify(straightTrackEvent(e, BASE)) !== JSON.stringify(ours)) differ.push(i);
    }
    expect(differ).toEqual([]);
  });

  it('declines every event Track Event does not serve', () => {
    const others = events.filter((e) => !destination.processDetailed(e).items.some((item) => item.action === 'trackEvent'));
    expect(others.filter((e) => straightTrackEvent(e, BASE) !== undefined)).toEqual([]);
  });

  it('never writes to the event', () => {
    const copy = JSON.parse(JSON.stringify(served)) as unknown[];
    for (const e of copy) straightTrackEvent(e, BASE);
    expect(copy).toEqual(served);
  });
});
