import { defineConfig } from 'vitest/config';

// `npm run test:nats`: tests against a real nats-server (Debian `nats-server`), started by the tests.
//
// The 20,000-event scale scenario (test/nats/scale.test.ts: 2 serve + 3 workers, a worker SIGKILLed
// and replaced, the nats-server restarted) runs with `npm run test:nats:scale`, not in CI: it has an
// OPEN bug (issue #17 stays open). Lost is 0 in every run, but after the take-over of a killed
// worker's partition, newer events of a person can reach the Track API before that person's
// redelivered ones, so its per-person order assertion fails in most runs (docs/scaling.md, "Known
// issue"). Put it back into this run with the fix.
const scale = process.env.NATS_SCALE === '1';
export default defineConfig({
  test: {
    include: scale ? ['test/nats/scale.test.ts'] : ['test/nats/**/*.test.ts'],
    exclude: scale ? [] : ['test/nats/scale.test.ts', '**/node_modules/**'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
