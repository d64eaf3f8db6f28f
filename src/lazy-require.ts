// Synchronous loading on first use, for code that is costly to load and needed by few runs: the
// validators generated at build time (src/generated/*.cjs) and the CommonJS builds of date-fns and
// jsonpath-plus. ES modules have no synchronous import, and importing all of it eagerly cost every
// CLI start ~0.15 s (issue #11). The one Node-specific seam for it: a browser bundle replaces this
// module with one that imports those files statically. Specifiers resolve from src/.
import { createRequire } from 'node:module';

/** Node's `require`, relative to src/ (dist/src/ when built). */
export const lazyRequire: (specifier: string) => unknown = createRequire(import.meta.url);
