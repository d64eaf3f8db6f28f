// `cio-actions playground` on the command line (the page itself is tested in test/browser/).
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('cio-actions playground', () => {
  it('is listed in --help and has its own help', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/playground\s+the browser playground/);
    const help = await cli(['playground', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--port N');
    expect(help.stdout).toContain('{"listening": "http://127.0.0.1:PORT"}');
  });

  it.each(['x', '-1', '70000', '1.5'])('refuses --port %s with exit code 2', async (port) => {
    const r = await cli(['playground', '--port', port]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--port must be a number from 0 to 65535, not \`${port}\``);
  });
});
