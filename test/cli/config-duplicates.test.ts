// Duplicate subscriptions are configuration errors naming both places: the same file listed twice
// (every request would be sent twice) and two subscriptions with one title (dead letters and
// --replay name subscriptions by title, so a replay would re-send the sibling's delivered item).

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, EXAMPLES, tempDir } from './helpers.js';

const ACTIVITY = path.join(EXAMPLES, 'maps/activity.map');

function configWith(dir: string, presets: string, subscriptions: string[]): string {
  const file = path.join(dir, 'destination.json');
  writeFileSync(file, JSON.stringify({ settings: { siteId: 's', apiKey: 'k' }, presets, subscriptions }));
  return file;
}

describe('duplicate subscriptions', () => {
  it('the same file listed twice', async () => {
    const dir = tempDir();
    copyFileSync(ACTIVITY, path.join(dir, 'activity.map'));
    const cfg = configWith(dir, 'none', ['activity.map', './activity.map']);
    const r = await cli(['run', path.join(EXAMPLES, 'events.ndjson'), '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.subscriptions[1]: "./activity.map" is already listed at $.subscriptions[0]');
    expect(r.stdout).toBe('');
  });

  it('two files with one title', async () => {
    const dir = tempDir();
    copyFileSync(ACTIVITY, path.join(dir, 'activity.map'));
    writeFileSync(path.join(dir, 'copy.map'), readFileSync(ACTIVITY, 'utf8'));
    const cfg = configWith(dir, 'none', ['activity.map', 'copy.map']);
    const r = await cli(['run', path.join(EXAMPLES, 'events.ndjson'), '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\$\.subscriptions\[1\] \(.*copy\.map\): the title "Activity" is already used by \$\.subscriptions\[0\] \(.*activity\.map\)/);
  });

  it('a subscription titled like a preset', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'mine.map'), readFileSync(ACTIVITY, 'utf8').replace('title  "Activity"', 'title  "Track Event"'));
    const cfg = configWith(dir, 'quick', ['mine.map']);
    const r = await cli(['run', path.join(EXAMPLES, 'events.ndjson'), '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\$\.subscriptions\[0\] \(.*mine\.map\): the title "Track Event" is already used by the preset "Track Event"/);
  });
});
