// `npm run test:browser`: the checks that drive a real headless Chromium (railroad diagrams,
// playground). Not part of `npm test`, which needs Node and npm only; .ci/run installs Chromium and
// runs this after `npm test`. Without Chromium the tests fail with a message saying how to get it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
