// `cio-actions run`: events (NDJSON file or stdin) through a destination built from a config file
// and the environment. Dry run by default (requests as NDJSON on stdout); `--send` delivers.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { ConfigError as LibraryConfigError, createDestination, createRedactor, type Destination, type DestinationConfig } from '../../index.js';
import { ConfigError, loadConfig, type RunConfig } from '../config.js';
import { readLineBatches, LineWriter } from '../ndjson.js';
import { dryRun, explainRun, Skips, summaryLine } from '../pipeline.js';
import { suggestion } from '../suggest.js';
import { newCounters, startProgress } from '../progress.js';
import { stopSignals } from '../stop-signals.js';
import { loadSubscriptions } from '../subscriptions.js';
import { presetsFor } from '../../actions/presets.js';
import { styles, type CommandRun, type Io } from '../io.js';
import { send, SEND_EXIT } from '../send.js';
import { defaultStateDir } from '../send-state.js';
import { watchLoop } from '../watch.js';
import { parallelDryRun, workerScript } from '../parallel.js';

export const spec: CommandSpec = {
  name: 'run',
  summary: 'Turn Segment events into Customer.io Track API requests (dry run: NDJSON on stdout), or send them.',
  usage:
    '[EVENTS.ndjson|-] [--config destination.json] [--profile strict|segment] [--presets quick|all|none] [--watch] [--send [--endpoint URL] [--dead-letter FILE] [--state DIR] [--resume] [--drain-ms N] [--max-outage DURATION] [--replay]]',
  options: {
    config: { type: 'string', short: 'c', value: 'FILE', description: 'destination configuration (settings, presets, subscriptions, profile, delivery)' },
    profile: { type: 'string', choices: ['strict', 'segment'], value: 'NAME', description: 'body profile, overrides the configuration' },
    presets: { type: 'string', choices: ['quick', 'all', 'none'], value: 'SET', description: 'built-in subscriptions, overrides the configuration' },
    send: { type: 'boolean', description: 'deliver to Customer.io (batched, retried) instead of printing the requests' },
    endpoint: { type: 'string', value: 'URL', description: 'with --send: base URL instead of the region host' },
    'dead-letter': { type: 'string', value: 'FILE', description: 'with --send: append what could not be delivered to this NDJSON file' },
    replay: { type: 'boolean', description: 'with --send: the input is a dead-letter file to deliver again' },
    state: { type: 'string', value: 'DIR', description: 'with --send and an events file: keep the progress here (default: FILE.state beside the dead-letter file, else beside the events file)' },
    resume: { type: 'boolean', description: 'with --send: finish the run recorded in the state (after a stop, an outage, a 401 or a crash)' },
    'drain-ms': { type: 'string', value: 'N', description: 'with --send: on SIGINT/SIGTERM, let requests in flight finish for this long (default 10000)' },
    'max-outage': { type: 'string', value: 'DURATION', description: 'with --send: end the run after the API has been unreachable this long (default 60s; 500ms, 90s, 5m, infinity)' },
    threads: { type: 'string', value: 'N', description: 'dry run: worker threads that process events (1 = none; default auto: one per core, up to 4, for an events file of 96 MB or more, 32 MB with 4 cores or more); the output is the same. --explain and --only run on one thread' },
    watch: { type: 'boolean', short: 'w', description: 'dry run: run again whenever the events file, the configuration or one of its subscription files changes (Ctrl-C stops)' },
    explain: { type: 'boolean', short: 'x', description: 'dry run, for people: per event, which subscriptions matched and why not, the requests, warnings and errors' },
    only: { type: 'string', value: 'TITLE', description: 'dry run: show only this subscription (its title; several separated by commas)' },
    pretty: { type: 'boolean', description: 'dry run: indent each output object (JSON, no longer one per line)' },
  },
  positionals: { min: 0, max: 1, name: 'one events file' },
  details: `Events are read from the file, or from stdin for \`-\` or when stdin is a pipe.
Dry-run output, one JSON object per line:
  {"event": 1, "messageId": "…", "subscription": "Track Event", "action": "trackEvent", "request": {"method", "url", "body"}, "warnings": ["…"]}
  {"event": 4, "messageId": "…", "subscription": "…", "error": {"message": "…", "field": "data.total", "at": "orders.map:13:3"}}
"event" is the event's line in the input, 1-based as editors show it (blank lines count);
"warnings" (only when there are some) are values the strict profile dropped or replaced.
With --send: one error line per event or request that could not be delivered (also appended to
the dead-letter file, from --dead-letter or delivery.deadLetter), one line per event and
subscription with warnings ({"event", "messageId", "subscription", "action", "warnings": […]},
counted in the summary as in a dry run), then {"report": {…}}.
A dead-letter file can be sent again with --send --replay.

Stopping and resuming (--send with an events file): the progress (which lines are finished) is
kept in the state directory (--state, default FILE.state beside the dead-letter file or the events
file) and made durable as the run goes. The first SIGINT/SIGTERM stops reading, lets requests in
flight finish for --drain-ms, prints the report and exits 3; a second one exits at once (130/143),
the state intact. An outage (no answer, refused connections, 5xx) pauses sending; past
--max-outage the run ends (exit 4); a 401 ends it at once (exit 5). In every case, and after a
crash or kill -9, \`run FILE --send --resume\` sends what is left: lines already finished are
skipped; events that may have been in flight are sent again and counted in the report's
resume.ambiguous. A resume with a changed file or configuration is refused. A finished run removes
its state.

Credentials (--send only; a dry run needs none): settings.siteId / settings.apiKey /
settings.region in the configuration, or the environment variables CUSTOMERIO_SITE_ID,
CUSTOMERIO_API_KEY, CUSTOMERIO_REGION (which win). The region picks the host in either case.

Exit code: 0 every event processed (or skipped), 1 some events failed, 2 usage or configuration error;
with --send: 3 stopped by a signal, 4 outage, 5 credentials rejected (401): the rest is resumable.`,
};

/** Builds the destination: subscriptions compiled, CLI flags over the file, library errors as ConfigError. */
export async function buildDestination(config: RunConfig, color: boolean): Promise<Destination> {
  const subscriptions = await loadSubscriptions(config.subscriptions, color, presetsFor(config.presets).map((p) => p.title));
  const destinationConfig: DestinationConfig = { settings: config.settings, presets: config.presets, profile: config.profile, subscriptions };
  try {
    return createDestination(destinationConfig);
  } catch (err) {
    // the library's configuration errors (too many subscriptions, bad settings) are the user's to fix
    if (err instanceof LibraryConfigError) throw new ConfigError([`${config.source}: ${err.message}`]);
    throw err;
  }
}

/** `--only A,B`: a predicate over subscription titles; an unknown title is a usage error with a did-you-mean. */
function selectSubscriptions(list: string, titles: readonly string[]): (title: string) => boolean {
  const wanted = list.split(',').map((t) => t.trim()).filter((t) => t !== '');
  for (const t of wanted) {
    if (!titles.includes(t)) throw new UsageError(`--only: no subscription titled "${t}"${suggestion(t, titles)}; subscriptions: ${titles.map((x) => `"${x}"`).join(', ')}`);
  }
  const set = new Set(wanted);
  return (title) => set.has(title);
}

/** The event stream: a file (opened before any output, so a missing file is a usage error), or stdin. */
async function openInput(file: string | undefined, io: Io): Promise<AsyncIterable<Buffer | string>> {
  if (file === undefined || file === '-') {
    if (file === undefined && io.stdin.isTTY) throw new UsageError('no events: give an NDJSON file, or pipe events into stdin (`-`)');
    return io.stdin;
  }
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(e.code === 'ENOENT' ? `${file}: file not found` : `${file}: cannot read (${e.code ?? e.message})`)));
  });
  return stream;
}

export const run: CommandRun = async (args, io) => {
  const o = args.options;
  if (o.watch === true) {
    if (o.send === true) throw new UsageError('--watch only applies to a dry run (without --send): every change would send again');
    const file = args.positionals[0];
    if (file === undefined || file === '-') throw new UsageError('--watch needs an events file (not stdin): it is read again on every change');
    return watchLoop(() => watchedFiles(file, typeof o.config === 'string' ? o.config : undefined, io), io, () => runOnce(args, io));
  }
  return runOnce(args, io);
};

/**
 * The smallest events file that gets worker threads by default: below it, starting them costs more
 * than they save. A worker takes about 0.4 s of wall time and 0.6 s of CPU to load and compile the
 * configuration. Measured on 2 cores (the dry run's whole process, parity events): 12 MB 1.8×
 * slower with threads, 35 MB 1.16× slower, 70 MB about even, 117 MB 1.07× faster, at 2.6× the
 * memory; so 2 or 3 cores wait for 96 MB. With 4 cores or more the workers share out more of the
 * work (at most 4 of them), and 32 MB is where their start-up is estimated to be paid back.
 */
export function autoThreadsBytes(cores: number): number {
  return (cores >= 4 ? 32 : 96) * 1024 * 1024;
}

/** `--threads N|auto`: how many worker threads a dry run uses (1: none). */
async function threadCount(option: unknown, file: string | undefined): Promise<number> {
  if (option !== undefined && option !== 'auto') {
    const text = String(option);
    if (!/^\d{1,2}$/.test(text) || Number(text) < 1 || Number(text) > 16) throw new UsageError(`--threads: expected a number of threads from 1 to 16 (or auto), got ${JSON.stringify(text)}`);
    return Number(text);
  }
  const cores = availableParallelism();
  if (cores < 2 || file === undefined || file === '-') return 1;
  const size = (await stat(file).catch(() => undefined))?.size ?? 0;
  return size >= autoThreadsBytes(cores) ? Math.min(cores, 4) : 1;
}

/** What `run --watch` watches: the events file, the configuration and the subscription files it lists (as far as it can be read). */
async function watchedFiles(file: string, config: string | undefined, io: Io): Promise<string[]> {
  const files = [file];
  if (config === undefined) return files;
  files.push(config);
  const loaded = await loadConfig(config, io.env, { credentials: false }).catch(() => undefined);
  for (const s of loaded?.subscriptions ?? []) files.push(s.resolved);
  return files;
}

const runOnce: CommandRun = async (args, io) => {
  const o = args.options;
  for (const flag of ['endpoint', 'dead-letter', 'replay', 'state', 'resume', 'drain-ms', 'max-outage'] as const) {
    if (!o.send && o[flag] !== undefined) throw new UsageError(`--${flag} only applies with --send`);
  }
  const drainMs = o['drain-ms'] === undefined ? undefined : parseDrain(String(o['drain-ms']));
  const maxOutageMs = o['max-outage'] === undefined ? undefined : parseDuration(String(o['max-outage']), '--max-outage');
  for (const flag of ['explain', 'only', 'pretty', 'threads'] as const) {
    if (o.send && o[flag] !== undefined) throw new UsageError(`--${flag} only applies to a dry run (without --send)`);
  }
  const { err } = styles(io);
  // a dry run sends nothing, so it needs no credentials (the request URLs show the region)
  const config = await loadConfig(typeof o.config === 'string' ? o.config : undefined, io.env, { credentials: o.send === true });
  if (typeof o.profile === 'string') config.profile = o.profile as RunConfig['profile'];
  if (typeof o.presets === 'string') config.presets = o.presets as RunConfig['presets'];
  const redact = createRedactor(config.settings);
  const deadLetter = typeof o['dead-letter'] === 'string' ? o['dead-letter'] : (config.delivery.deadLetter as string | undefined);
  const file = args.positionals[0];
  if (o.replay && deadLetter !== undefined && file !== undefined && file !== '-' && path.resolve(file) === path.resolve(deadLetter)) {
    // appending to the file being replayed would feed new failures back into this very run
    throw new UsageError(`--replay reads ${file}, which is also the dead-letter file; give another one with --dead-letter`);
  }
  const fromFile = file !== undefined && file !== '-';
  if ((o.state !== undefined || o.resume) && (!fromFile || o.replay)) {
    throw new UsageError(`--${o.resume ? 'resume' : 'state'} needs an events file (not stdin, not --replay): progress is kept by line number of that file`);
  }
  const stateDir = o.send && fromFile && !o.replay ? (typeof o.state === 'string' ? o.state : defaultStateDir(deadLetter, file)) : undefined;
  try {
    const destination = await buildDestination(config, err.color);
    for (const w of destination.warnings) io.stderr.write(`${err.yellow('warning')}: ${redact(w)}\n`);
    const only = typeof o.only === 'string' ? selectSubscriptions(o.only, destination.subscriptions) : undefined;
    const input = await openInput(file, io);
    const counters = newCounters();
    const skips = new Skips();
    const out = new LineWriter(io.stdout, 64 * 1024, o.pretty === true ? 2 : undefined);
    const progress = startProgress(io.stderr, counters);
    let code: number;
    const signals = o.send ? trapSignals(io, drainMs ?? 10_000) : undefined;
    try {
      if (o.send) {
        code = await send(readLineBatches(input), destination, out, counters, {
          config,
          endpoint: typeof o.endpoint === 'string' ? o.endpoint : undefined,
          deadLetter,
          replay: o.replay === true,
          ...(fromFile ? { file } : {}),
          ...(stateDir !== undefined ? { state: stateDir } : {}),
          resume: o.resume === true,
          ...(drainMs !== undefined ? { drainMs } : {}),
          ...(maxOutageMs !== undefined ? { maxOutageMs } : {}),
          ...(signals ? { stop: signals.stop } : {}),
          notice: (line) => void io.stderr.write(`${err.yellow(redact(line))}\n`),
        });
        // reading may have stopped early: the input is not read any further
        if (code >= SEND_EXIT.stopped) (input as { destroy?: () => void }).destroy?.();
      } else {
        if (o.explain) await explainRun(readLineBatches(input), destination, out, counters, skips, styles(io).out, only);
        else {
          const threads = await threadCount(o.threads, file);
          const script = threads > 1 && only === undefined ? workerScript() : undefined;
          if (script !== undefined) {
            await parallelDryRun(input, script, threads, { config, color: err.color, pretty: o.pretty === true }, out, counters, skips, (again) =>
              dryRun(readLineBatches(again), destination, out, counters, skips, only),
            );
          } else await dryRun(readLineBatches(input), destination, out, counters, skips, only);
        }
        code = counters.failed > 0 ? 1 : 0;
      }
      await out.end();
    } finally {
      progress.stop();
      signals?.release();
    }
    const summary = summaryLine(counters);
    const note = out.closed ? ' (stopped: the output was closed)' : o.send ? '' : ' (dry run)';
    io.stderr.write(`${counters.failed > 0 ? err.yellow(summary) : err.dim(summary)}${note}\n`);
    for (const line of skips.lines()) io.stderr.write(`${err.dim(line)}\n`);
    return code;
  } catch (e) {
    if (e instanceof Error) e.message = redact(e.message);
    throw e;
  }
};

/**
 * SIGINT/SIGTERM during `--send`: the first stops the run gracefully (deliver's `stop`: drain, then
 * everything unsent stays resumable); a second exits at once with 128+signal (the state is an
 * append-only log, intact at any moment).
 */
function trapSignals(io: Io, drainMs: number): { stop: AbortSignal; release(): void } {
  const ctl = new AbortController();
  const signals = stopSignals();
  signals.onSecond((sig) => process.exit(sig === 'SIGINT' ? 130 : 143));
  void signals.first.then((sig) => {
    io.stderr.write(`${sig}: stopping: no more input is read; requests in flight may finish for ${drainMs} ms (${sig} again exits at once)\n`);
    ctl.abort();
  });
  return { stop: ctl.signal, release: () => signals.dispose() };
}

function parseDrain(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`--drain-ms: expected milliseconds (e.g. 10000), got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `500ms`, `90s`, `90` (seconds), `5m`, `infinity`. */
export function parseDuration(text: string, flag: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'infinity' || t === 'inf' || t === 'never') return Infinity;
  const m = /^(\d{1,9}(?:\.\d{1,3})?)(ms|s|m)?$/.exec(t);
  if (m === null) throw new UsageError(`${flag}: expected a duration such as 500ms, 90s, 5m or infinity, got ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}
