// Finds the headless Chromium the browser tests drive: `CHROMIUM_PATH`, then Debian's
// `/usr/bin/chromium` (package `chromium`, which .ci/run installs). Never a downloaded browser.

import { existsSync } from 'node:fs';

/** The Chromium executable, or a clear error saying how to get one. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv}: no such file; point it at a Chromium executable`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    'the browser tests need headless Chromium: install it (Debian: `apt-get install -y chromium`) or set CHROMIUM_PATH to its executable',
  );
}

/**
 * Flags for a headless run on a closed network: no GPU, no sandbox (CI runs as root), and none of
 * Chromium's background connections (refused here, and noise in the logs). Pass a fresh
 * `--user-data-dir` of your own.
 */
export const launchArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];
