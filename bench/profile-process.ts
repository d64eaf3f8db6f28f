// A steady loop of the process suite's whole-event work, for a sampling profiler to look at:
//
//   npm run build && perf record -e cpu-clock -F 2000 -g -o /tmp/process.perf \
//     node --perf-basic-prof dist/bench/profile-process.js [corpus|trackEvent|straight] [SECONDS]
//   perf report -i /tmp/process.perf --no-children --sort symbol -g none
//
// `corpus`: every parity event through the 15 presets (the whole-event row); `trackEvent`: the
// events that feed Track Event alone, repeated up to the corpus's size; `straight`: those events
// through the straight-code bound (bench/straight-track-event.ts). `perf` names V8's builtins
// (Builtins_KeyedLoadIC_Megamorphic, …) and runtime functions, which `node --cpu-prof` folds into
// the JS function that called them. It prints the rate it ran at (wall time, the profiler's
// overhead included: for shares of time, not for ratios; those come from `npm run bench`).
import { loadCorpus, loadPresets, presetDestination } from './harness.js';
import { servedByTrackEventAlone, straightTrackEvent } from './straight-track-event.js';

const MODES = ['corpus', 'trackEvent', 'straight'] as const;
const mode = (process.argv[2] ?? 'corpus') as (typeof MODES)[number];
const seconds = Number(process.argv[3] ?? 8);
if (!MODES.includes(mode) || !(seconds > 0 && seconds <= 600)) {
  console.error(`usage: profile-process.js [${MODES.join('|')}] [SECONDS (0-600, default 8)]`);
  process.exit(2);
}

const events = await loadCorpus();
const destination = presetDestination(await loadPresets(), 'segment');
// every event once, as the bench warms up: the property sites see every shape before the loop
for (const e of events) destination.process(e);

let set: unknown[] = events;
if (mode !== 'corpus') {
  const served = servedByTrackEventAlone(destination, events);
  // fresh copies, so the set is as large as the corpus without repeating the same objects
  set = [];
  while (set.length < events.length) set.push(...served.map((e) => structuredClone(e)));
}
const one =
  mode === 'straight'
    ? (e: unknown) => (straightTrackEvent(e, 'https://track.customer.io') ? 1 : 0)
    : (e: unknown) => destination.process(e).requests.length;

const started = process.hrtime.bigint();
let done = 0;
let requests = 0;
while (Number(process.hrtime.bigint() - started) / 1e9 < seconds) {
  for (const e of set) requests += one(e);
  done += set.length;
}
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`${mode}: ${done} events (${set.length} distinct), ${requests} requests, ${Math.round(done / elapsed)} events/s wall`);
