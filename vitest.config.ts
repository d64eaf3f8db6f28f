import { defineConfig } from 'vitest/config';

// `npm test`: everything that needs Node and npm only. Browser checks (test/browser/, headless
// Chromium) run with `npm run test:browser`, NATS checks (test/nats/, a real nats-server) with
// `npm run test:nats`; .ci/run installs those system packages and runs both after `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/nats/**', '**/node_modules/**'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
