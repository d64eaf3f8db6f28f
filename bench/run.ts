// `npm run bench`: every benchmark of the project, each against its peer in the same run.
import { formatRows, type BenchRow } from './harness.js';

type BenchModule = { bench: () => Promise<BenchRow[]> };
const suites: Array<[string, () => Promise<BenchModule>]> = [
  // each area adds its suite here: ['triggers', () => import('./triggers.js')],
  ['triggers', () => import('./triggers.js')],
  ['parser', () => import('./parser.js')],
  ['process', () => import('./process.js')],
  ['mapping', () => import('./mapping.js')],
  ['delivery', () => import('./delivery.js')],
  ['cli', () => import('./cli.js')],
  ['startup', async () => ({ bench: (await import('./cli.js')).startup })],
  ['run-throughput', async () => ({ bench: (await import('./cli.js')).throughput })],
  ['serve', () => import('./serve.js')],
  ['send-state', () => import('./send-state.js')],
  ['nats', () => import('./nats.js')],
];

const only = process.argv[2];
for (const [name, load] of suites) {
  if (only && only !== name) continue;
  const mod = await load();
  const rows = await mod.bench();
  console.log(`\n## ${name}\n${formatRows(rows)}`);
}
