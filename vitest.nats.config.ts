import { defineConfig } from 'vitest/config';

// `npm run test:nats`: tests against a real nats-server (Debian `nats-server`), started by the tests,
// including the 20,000-event scale scenario (test/nats/scale.test.ts: 2 serve + 3 workers, a worker
// SIGKILLed and replaced, the nats-server restarted).
export default defineConfig({
  test: {
    include: ['test/nats/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
