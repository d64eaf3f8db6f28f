// `cio-actions run`: events (NDJSON file or stdin) through a destination built from a config file
// and the environment. Dry run by default (requests as NDJSON on stdout); `--send` delivers.

import { createReadStream } from 'node:fs';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { ConfigError as LibraryConfigError, createDestination, createRedactor, type Destination, type DestinationConfig } from '../../index.js';
import { ConfigError, loadConfig, type RunConfig } from '../config.js';
import { readLineBatches, LineWriter } from '../ndjson.js';
import { dryRun, explainRun, Skips, summaryLine } from '../pipeline.js';
import { suggestion } from '../suggest.js';
import { startProgress, type Counters } from '../progress.js';
import { loadSubscriptions } from '../subscriptions.js';
import { styles, type CommandRun, type Io } from '../io.js';
import { send } from '../send.js';

export const spec: CommandSpec = {
  name: 'run',
  summary: 'Turn Segment events into Customer.io Track API requests (dry run: NDJSON on stdout), or send them.',
  usage: '[EVENTS.ndjson|-] [--config destination.json] [--profile strict|segment] [--presets quick|all|none] [--send [--endpoint URL] [--dead-letter FILE] [--replay]]',
  options: {
    config: { type: 'string', short: 'c', value: 'FILE', description: 'destination configuration (settings, presets, subscriptions, profile, delivery)' },
    profile: { type: 'string', choices: ['strict', 'segment'], value: 'NAME', description: 'body profile, overrides the configuration' },
    presets: { type: 'string', choices: ['quick', 'all', 'none'], value: 'SET', description: 'built-in subscriptions, overrides the configuration' },
    send: { type: 'boolean', description: 'deliver to Customer.io (batched, retried) instead of printing the requests' },
    endpoint: { type: 'string', value: 'URL', description: 'with --send: base URL instead of the region host' },
    'dead-letter': { type: 'string', value: 'FILE', description: 'with --send: append what could not be delivered to this NDJSON file' },
    replay: { type: 'boolean', description: 'with --send: the input is a dead-letter file to deliver again' },
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
the dead-letter file, from --dead-letter or delivery.deadLetter), then {"report": {…}}.
A dead-letter file can be sent again with --send --replay.

Credentials (--send only; a dry run needs none): settings.siteId / settings.apiKey /
settings.region in the configuration, or the environment variables CUSTOMERIO_SITE_ID,
CUSTOMERIO_API_KEY, CUSTOMERIO_REGION (which win). The region picks the host in either case.

Exit code: 0 every event processed (or skipped), 1 some events failed, 2 usage or configuration error.`,
};

/** Builds the destination: subscriptions compiled, CLI flags over the file, library errors as ConfigError. */
export async function buildDestination(config: RunConfig, color: boolean): Promise<Destination> {
  const subscriptions = await loadSubscriptions(config.subscriptions, color);
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
  for (const flag of ['endpoint', 'dead-letter', 'replay'] as const) {
    if (!o.send && o[flag] !== undefined) throw new UsageError(`--${flag} only applies with --send`);
  }
  for (const flag of ['explain', 'only', 'pretty'] as const) {
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
  try {
    const destination = await buildDestination(config, err.color);
    for (const w of destination.warnings) io.stderr.write(`${err.yellow('warning')}: ${redact(w)}\n`);
    const only = typeof o.only === 'string' ? selectSubscriptions(o.only, destination.subscriptions) : undefined;
    const input = await openInput(file, io);
    const counters: Counters = { events: 0, requests: 0, errors: 0, failed: 0, warnings: 0, skipped: 0 };
    const skips = new Skips();
    const out = new LineWriter(io.stdout, 64 * 1024, o.pretty === true ? 2 : undefined);
    const progress = startProgress(io.stderr, counters);
    let code: number;
    try {
      if (o.send) {
        code = await send(readLineBatches(input), destination, out, counters, {
          config,
          endpoint: typeof o.endpoint === 'string' ? o.endpoint : undefined,
          deadLetter,
          replay: o.replay === true,
        });
      } else {
        if (o.explain) await explainRun(readLineBatches(input), destination, out, counters, skips, styles(io).out, only);
        else await dryRun(readLineBatches(input), destination, out, counters, skips, only);
        code = counters.failed > 0 ? 1 : 0;
      }
      await out.end();
    } finally {
      progress.stop();
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
