// Benchmark helpers: time a function over a corpus in the same process as its peer, report ratios.
// Numbers are ops/second of whole-corpus passes; every comparison is measured in one run.
import { createDestination, importSegmentSubscription } from '../src/index.js';
import type { Destination, Profile, SegmentSubscription } from '../src/index.js';

export interface BenchRow {
  name: string;
  ours: number; // ops per second
  peer?: number; // ops per second of the peer (Segment's package or a baseline)
  peerName?: string;
  unit: string; // what one op is ("event", "trigger×event", ...)
  note?: string;
}

/** Runs `fn` repeatedly for at least `ms` milliseconds after a warm-up and returns ops/s (`opsPerCall` ops per call). */
export function measure(fn: () => unknown, opsPerCall: number, ms = 1500): number {
  const warmEnd = performance.now() + Math.min(400, ms / 3);
  let sink: unknown;
  while (performance.now() < warmEnd) sink = fn();
  (globalThis as { gc?: () => void }).gc?.();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    sink = fn();
    calls++;
    now = performance.now();
  }
  void sink;
  return (calls * opsPerCall * 1000) / (now - start);
}

/** Rounds of `bestOf`: each competitor runs once per round, in turn. */
export const ROUNDS = 5;

/**
 * Ops per second of process CPU time (not wall time): on a shared, loaded machine wall time
 * mostly measures how long the process waited for a core. Same warm-up and GC as `measure`.
 */
export function measureCpu(fn: () => unknown, opsPerCall: number, ms: number): number {
  measure(fn, opsPerCall, Math.min(200, ms / 2)); // warm-up
  (globalThis as { gc?: () => void }).gc?.();
  let calls = 0;
  let sink: unknown;
  const cpu0 = process.cpuUsage();
  const end = performance.now() + ms;
  while (performance.now() < end) {
    sink = fn();
    calls++;
  }
  const cpu = process.cpuUsage(cpu0);
  void sink;
  return (calls * opsPerCall * 1e6) / (cpu.user + cpu.system);
}

/**
 * Measures competitors in alternating rounds and keeps each one's best (CPU time), so that load
 * from other processes hits all of them alike.
 */
export function bestOf(fns: Array<() => unknown>, opsPerCall: number, ms = 400): number[] {
  const best = fns.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    fns.forEach((fn, k) => {
      best[k] = Math.max(best[k] as number, measureCpu(fn, opsPerCall, ms));
    });
  }
  return best;
}

/**
 * Measures competitors in alternating rounds (each once per round, in turn, CPU time) and returns
 * each one's median over the rounds: less flattering than the best, and as fair under shared load.
 */
export function medianOf(fns: Array<() => unknown>, opsPerCall: number, ms = 400, rounds = ROUNDS): number[] {
  const samples: number[][] = fns.map(() => []);
  for (let round = 0; round < rounds; round++) fns.forEach((fn, k) => samples[k]!.push(measureCpu(fn, opsPerCall, ms)));
  return samples.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  });
}

export function formatRows(rows: BenchRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    const ours = `${Math.round(r.ours).toLocaleString('en-US')} ${r.unit}/s`;
    if (r.peer === undefined) out.push(`${r.name}: ${ours}${r.note ? `  (${r.note})` : ''}`);
    else {
      const ratio = r.ours / r.peer;
      out.push(
        `${r.name}: ${ours} vs ${r.peerName ?? 'peer'} ${Math.round(r.peer).toLocaleString('en-US')} ${r.unit}/s → ${ratio.toFixed(1)}×${r.note ? `  (${r.note})` : ''}`,
      );
    }
  }
  return out.join('\n');
}

/** A file of the parity data in test/data/segment-parity (found from bench/ and dist/bench/). */
async function readParityFile(name: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const path = await import('node:path');
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..']) {
    try {
      return await readFile(path.resolve(here, up, 'test/data/segment-parity', name), 'utf8');
    } catch {
      /* try the next location */
    }
  }
  throw new Error(`parity data not found: expected test/data/segment-parity/${name} in the repository`);
}

/** The parity corpus in test/data/segment-parity (2,000 realistic Segment events). */
export async function loadCorpus(): Promise<unknown[]> {
  const text = await readParityFile('events.ndjson');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
}

/** One of Segment's 15 presets (segment-presets.json): name, action, FQL trigger, mapping-kit JSON. */
export interface SegmentPreset {
  name: string;
  partnerAction: string;
  subscribe: string;
  mapping: Record<string, unknown>;
}

/** Segment's 15 presets, as recorded beside the corpus. */
export async function loadPresets(): Promise<SegmentPreset[]> {
  return JSON.parse(await readParityFile('segment-presets.json')) as SegmentPreset[];
}

/** The settings and fixed clock of the per-event benchmarks (a fixed `now`: every run builds the same bodies). */
export const BENCH_SETTINGS = { siteId: 's', apiKey: 'k', region: 'US' as const };
export const benchNow = (): number => Date.parse('2025-01-01T00:00:00Z');

/** Segment's presets as our subscriptions (nothing else), in `profile`: the destination the process suite measures. */
export function presetDestination(presets: readonly SegmentPreset[], profile: Profile): Destination {
  const subscriptions = presets.map((p) => importSegmentSubscription(p as SegmentSubscription));
  return createDestination({ settings: BENCH_SETTINGS, presets: 'none', subscriptions, profile, now: benchNow });
}
