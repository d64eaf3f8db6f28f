// The Segment parity corpus (test/data/segment-parity): 2,000 events, Segment's recorded
// requests per event, and the 15 presets; plus the comparison helpers the parity tests share.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDestination, importSegmentSubscription, type Destination, type SegmentSubscription } from '../../src/index.js';

const DIR = fileURLToPath(new URL('../data/segment-parity/', import.meta.url));

function ndjson(name: string): unknown[] {
  return readFileSync(`${DIR}${name}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** One recorded Segment result line. */
export interface SegmentRecord {
  i: number;
  matched: string[];
  requests: Array<{ method: string; url: string; body: unknown; preset: string }>;
  errors: Array<{ preset: string; name: string; message: string; status: number }>;
}

/** One Segment preset: name, our action key, FQL and mapping JSON. */
export interface SegmentPreset {
  name: string;
  partnerAction: string;
  subscribe: string;
  mapping: Record<string, unknown>;
}

export const events: readonly unknown[] = ndjson('events.ndjson');
export const records = ndjson('segment-requests.ndjson') as SegmentRecord[];
export const presets = JSON.parse(readFileSync(`${DIR}segment-presets.json`, 'utf8')) as SegmentPreset[];

/** Settings and clock of the recording (README of the corpus). */
export const SETTINGS = Object.freeze({ siteId: 's', apiKey: 'k', region: 'US' as const });
export const NOW = Date.parse('2025-01-01T00:00:00Z');

/** Our destination for the recording: the 15 presets as subscriptions, profile `segment`, its settings and clock. */
export function presetDestination(): Destination {
  return createDestination({
    settings: SETTINGS,
    presets: 'none',
    subscriptions: presets.map((p) => importSegmentSubscription(p as SegmentSubscription)),
    profile: 'segment',
    now: () => NOW,
  });
}

/** JSON with object keys sorted and undefined dropped: deep equality ignoring key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** A comparable view of one event's outcome: matched presets, requests, and which presets failed. */
export interface Outcome {
  matched: string[];
  requests: Array<{ preset: string; method: string; url: string; body: unknown }>;
  failed: string[];
}

/** Segment's recorded outcome in comparable form. */
export function segmentOutcome(record: SegmentRecord): Outcome {
  return {
    matched: [...record.matched].sort(),
    requests: record.requests.map(({ preset, method, url, body }) => ({ preset, method, url, body })).sort((a, b) => a.preset.localeCompare(b.preset)),
    failed: [...new Set(record.errors.map((e) => e.preset))].sort(),
  };
}

/** Sorted, canonical comparison of two outcomes. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  const norm = (o: Outcome) =>
    canonical({ matched: [...o.matched].sort(), requests: [...o.requests].sort((x, y) => x.preset.localeCompare(y.preset)), failed: [...o.failed].sort() });
  return norm(a) === norm(b);
}
