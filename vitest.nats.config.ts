import { defineConfig } from 'vitest/config';

// `npm run test:nats`: tests against a real nats-server (Debian `nats-server`), started by the tests.
export default defineConfig({
  test: {
    include: ['test/nats/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
