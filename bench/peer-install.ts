// The whole-event peer's install: Segment's Customer.io destination (@segment/action-destinations)
// is heavy, so it lives in bench/peer/ with its own package.json and lock file, outside the
// project's install; the first `npm run bench` that needs it runs `npm ci` there.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/peer/ of the repository (found from bench/ and dist/bench/). */
export function peerDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'bench', 'peer');
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bench/peer/package.json not found above the bench');
    dir = up;
  }
}

/**
 * A `require` resolving from bench/peer/, after installing its packages when they are missing
 * (`npm ci`: exactly the committed lock; scripts off, as the packages need none to run).
 */
export function peerRequire(): NodeJS.Require {
  const dir = peerDir();
  if (!existsSync(path.join(dir, 'node_modules', '@segment', 'action-destinations', 'package.json'))) {
    console.error(`bench: installing the whole-event peer into ${path.relative(process.cwd(), dir) || dir} (npm ci, first use only)`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['ci', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return createRequire(path.join(dir, 'package.json'));
}
