// Loads the parity corpus (test/data/segment-parity) for trigger tests: the 2,000 events,
// Segment's recorded matches per event, and Segment's 15 presets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../data/segment-parity/', import.meta.url));

function ndjson(name: string): unknown[] {
  return readFileSync(dir + name, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

export const events = ndjson('events.ndjson') as Array<Record<string, unknown>>;
export const segmentRequests = ndjson('segment-requests.ndjson') as Array<{ i: number; matched: string[] }>;
export const segmentPresets = JSON.parse(readFileSync(dir + 'segment-presets.json', 'utf8')) as Array<{ name: string; subscribe: string }>;

/** customerio.md §0.3: the product page's seven Quick Setup presets, triggers verbatim. */
export const QUICK_PRESETS: Array<{ name: string; trigger: string }> = [
  { name: 'Create or Update Object', trigger: 'type = "group"' },
  { name: 'Create or Update Person', trigger: 'type = "identify"' },
  {
    name: 'Track Event',
    trigger:
      'type = "track" and event != "Application Installed" and event != "Application Opened" and event != "Application Uninstalled" and event != "Relationship Deleted" and event != "User Deleted" and event != "User Suppressed" and event != "User Unsuppressed" and event != "Object Deleted" and event != "Report Delivery Event"',
  },
  { name: 'Report Delivery Event', trigger: 'event = "Report Delivery Event"' },
  { name: 'Track Page View', trigger: 'type = "page"' },
  { name: 'Create or Update Device', trigger: 'event = "Application Installed" or event = "Application Opened"' },
  { name: 'Track Screen View', trigger: 'type = "screen"' },
];
