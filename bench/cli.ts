// `cio-actions run` (dry run) over a generated 10,000-event NDJSON file against a bare
// JSON.parse + JSON.stringify pass over the same file: the CLI's throughput, events per second.
// `startup()`: wall time of three short commands of the built binary (median of 10 spawns each)
// against `node -e 0` spawned in the same rounds (issue #11: each at most 150 ms).

import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { loadCorpus, type BenchRow } from './harness.js';

const EVENTS = 10_000;

/** A stream that throws its input away (what `> /dev/null` is, minus the syscalls). */
function sink(): Writable & { bytes: number } {
  const s = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      s.bytes += chunk.length;
      done();
    },
  }) as Writable & { bytes: number };
  s.bytes = 0;
  return s;
}

/** Runs `fn` (one whole pass) once to warm up, then until `ms` have passed; passes per second. */
async function measureAsync(fn: () => Promise<unknown>, ms = 4000): Promise<number> {
  await fn();
  (globalThis as { gc?: () => void }).gc?.();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < ms || runs < 2) {
    await fn();
    runs++;
  }
  return (runs * 1000) / (performance.now() - start);
}

/** The repository root (works from bench/ and dist/bench/). */
function root(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../..') : path.resolve(here, '..');
}

export async function bench(): Promise<BenchRow[]> {
  const corpus = await loadCorpus();
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const event = { ...(corpus[i % corpus.length] as Record<string, unknown>), messageId: `bench-${i}` };
    lines.push(JSON.stringify(event));
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'cio-bench-'));
  const file = path.join(dir, 'events.ndjson');
  await writeFile(file, `${lines.join('\n')}\n`);
  const config = path.join(root(), 'examples/destination.json');

  let outputBytes = 0;
  const ours = async () => {
    const out = sink();
    const code = await main(['run', file, '--config', config], { stdin: process.stdin, stdout: out, stderr: sink(), env: { NO_COLOR: '1' } });
    if (code === 2) throw new Error('cio-actions run failed with a usage error');
    outputBytes = out.bytes;
  };
  // The baseline reads the same file as a stream too, so both sides pay for I/O alike.
  const baseline = async () => {
    const out = sink();
    let rest = '';
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
      const parts = (rest + (chunk as string)).split('\n');
      rest = parts.pop() ?? '';
      let text = '';
      for (const line of parts) if (line !== '') text += `${JSON.stringify(JSON.parse(line))}\n`;
      out.write(text);
    }
  };

  const oursRate = (await measureAsync(ours)) * EVENTS;
  const baseRate = (await measureAsync(baseline)) * EVENTS;
  const rows: BenchRow[] = [
    {
      name: 'cio-actions run (dry run, examples/destination.json: 16 subscriptions)',
      ours: oursRate,
      peer: baseRate,
      peerName: 'JSON.parse + JSON.stringify per line',
      unit: 'event',
      note: `target ≥ 0.5×; ${Math.round(outputBytes / 1024)} KB of NDJSON out per pass`,
    },
  ];

  // End to end through the built binary, process start-up included (one run each, wall clock).
  const bin = path.join(root(), 'dist/cli/cio-actions.js'); // package.json `bin`
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'run', file, '--config', config], { stdio: ['ignore', 'ignore', 'ignore'] });
  const binMs = performance.now() - t0;
  const t1 = performance.now();
  spawnSync(process.execPath, ['-e', `const fs=require('fs');for(const l of fs.readFileSync(${JSON.stringify(file)},'utf8').split('\\n'))if(l)process.stdout.write(JSON.stringify(JSON.parse(l))+'\\n')`], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const nodeMs = performance.now() - t1;
  if (r.status !== 2) {
    rows.push({
      name: 'node dist/cli/cio-actions.js run (spawned, start-up included)',
      ours: (EVENTS * 1000) / binMs,
      peer: (EVENTS * 1000) / nodeMs,
      peerName: 'node -e parse+stringify',
      unit: 'event',
      note: `${Math.round(binMs)} ms vs ${Math.round(nodeMs)} ms for ${EVENTS.toLocaleString('en-US')} events`,
    });
  }
  await readFile(file); // keep the file until here
  return rows;
}

/** Spawns of each command in `startup()` (the median is reported). */
const STARTS = 10;
/** What issue #11 asks of each short command, wall time on the 2-core CI machine. */
const STARTUP_TARGET_MS = 150;
/** The same target as a ratio: `node -e 0` takes ~40 ms on the quiet machine (issue #11), 150 / 40. */
const TARGET_RATIO = 3.75;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Start-up of the built binary: `--help`, `eval` of one trigger against one event, `check` of one
 * .map file, each spawned STARTS times in interleaved rounds with `node -e 0` (so load from other
 * processes hits all alike); median wall time from spawn to exit, output checked every time.
 */
export async function startup(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cio-bench-start-'));
  const event = (await readFile(path.join(root(), 'examples/events.ndjson'), 'utf8'))
    .split('\n')
    .find((line) => line.includes('"type":"track"'));
  if (event === undefined) throw new Error('examples/events.ndjson has no track event');
  await writeFile(path.join(dir, 'e.json'), `${event}\n`);
  await writeFile(path.join(dir, 'one.map'), await readFile(path.join(root(), 'examples/maps/orders.map'), 'utf8'));
  const bin = path.join(root(), 'dist/cli/cio-actions.js'); // package.json `bin`
  const commands: Array<{ name: string; args: string[]; expect: RegExp }> = [
    { name: 'node -e 0', args: ['-e', '0'], expect: /^$/ },
    { name: 'cio-actions --help', args: [bin, '--help'], expect: /^Usage: cio-actions/ },
    { name: "cio-actions eval 'type = \"track\"' --event e.json", args: [bin, 'eval', 'type = "track"', '--event', 'e.json'], expect: /^true\n$/ },
    { name: 'cio-actions check one.map', args: [bin, 'check', 'one.map'], expect: /1 file checked: 0 errors/ },
  ];
  const times = commands.map((): number[] => []);
  for (let round = -1; round < STARTS; round++) {
    commands.forEach((c, k) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, c.args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const ms = performance.now() - t0;
      if (r.status !== 0 || !c.expect.test(r.stdout)) throw new Error(`${c.name}: exit ${r.status}, unexpected output:\n${r.stdout}${r.stderr}`);
      if (round >= 0) times[k]!.push(ms); // round -1 warms the file cache
    });
  }
  const medians = times.map(median);
  const nodeMs = medians[0] as number;
  return commands.slice(1).map((c, i) => {
    const ms = medians[i + 1] as number;
    return {
      name: `${c.name} (spawned, wall time)`,
      ours: 1000 / ms,
      peer: 1000 / nodeMs,
      peerName: 'node -e 0',
      unit: 'start',
      note: `median of ${STARTS}: ${Math.round(ms)} ms vs ${Math.round(nodeMs)} ms, ${(ms / nodeMs).toFixed(2)}× node -e 0; target ≤ ${STARTUP_TARGET_MS} ms: ${ms <= STARTUP_TARGET_MS ? 'met' : 'not met'} here, ${ms / nodeMs <= TARGET_RATIO ? 'within' : 'over'} the ${TARGET_RATIO}× it is on a quiet machine`,
    };
  });
}
