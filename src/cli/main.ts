#!/usr/bin/env node
// The `cio-actions` binary: picks the command, parses its arguments, runs it, and turns errors into
// exit codes (0 ok, 1 failures, 2 usage or configuration). Each command lives in commands/*.ts.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandHelp, parseArgs, UsageError, type CommandSpec } from './args.js';
import { ConfigError } from './config.js';
import { styles, type CommandRun, type Io } from './io.js';
import { createRedactor } from '../settings/redact.js';
import { errorLine } from './output.js';
import { packageRoot } from './package-root.js';
import { suggestion } from './suggest.js';

type CommandModule = { spec: CommandSpec; run: CommandRun };

/** Commands in the order `--help` lists them; loaded lazily so `eval` does not pay for `repl`. */
export const COMMANDS: ReadonlyArray<[string, string, () => Promise<CommandModule>]> = [
  ['run', 'events → Track API requests (dry run), or --send them', () => import('./commands/run.js')],
  ['serve', 'a Segment-compatible ingestion server delivering to Customer.io', () => import('./commands/serve.js')],
  ['check', 'diagnostics for .map and .fql files', () => import('./commands/check.js')],
  ['eval', 'evaluate an FQL trigger against an event', () => import('./commands/eval.js')],
  ['test', "run the `example` blocks of .map files", () => import('./commands/test.js')],
  ['repl', 'try triggers and mapping expressions against an event', () => import('./commands/repl.js')],
  ['import-segment', 'Segment subscription JSON → .map text', () => import('./commands/import-segment.js')],
  ['explain', 'the effective mapping of a .map file, its trigger and the event paths it reads', () => import('./commands/explain.js')],
  ['completion', 'a shell completion script (bash, zsh, fish)', () => import('./commands/completion.js')],
  ['playground', 'the browser playground: event, trigger, mapping and body side by side', () => import('./commands/playground.js')],
  ['worker', 'deliver events from NATS JetStream (scale-out; one owner per person partition)', () => import('./commands/worker.js')],
  ['queue', 'administer the NATS JetStream queue: init, dead-letters, status', () => import('./commands/queue.js')],
];

function version(): string {
  try {
    return packageRoot().version;
  } catch {
    return 'unknown';
  }
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map(([n]) => n.length)) + 2;
  return `Usage: cio-actions <command> [options]

Segment events → validated Customer.io Track API requests: FQL triggers, .map mappings, delivery.

Commands:
${COMMANDS.map(([name, summary]) => `  ${name.padEnd(width)}${summary}`).join('\n')}

Run \`cio-actions <command> --help\` for a command's options.
Exit codes: 0 ok, 1 some events or files failed, 2 usage or configuration error.
`;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const { err } = styles(io);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic === undefined) {
      (name === undefined ? io.stderr : io.stdout).write(mainHelp());
      return name === undefined ? 2 : 0;
    }
    return main([topic, '--help'], io);
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const entry = COMMANDS.find(([n]) => n === name);
  if (entry === undefined) {
    io.stderr.write(errorLine(err, `unknown command \`${name}\`${suggestion(name, COMMANDS.map(([n]) => n))}; see \`cio-actions --help\``));
    return 2;
  }
  const mod = await entry[2]();
  try {
    const args = parseArgs(mod.spec, rest);
    if (args.help) {
      io.stdout.write(commandHelp(mod.spec));
      return 0;
    }
    return await mod.run(args, io);
  } catch (e) {
    if (e instanceof ConfigError) {
      if (e.details) io.stderr.write(`${e.details}\n`);
      io.stderr.write(errorLine(err, e.message));
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(errorLine(err, e.message));
      io.stderr.write(`see \`cio-actions ${name} --help\`\n`);
      return 2;
    }
    throw e;
  }
}

// Run when executed as the binary (directly, or through the npm bin symlink), not when imported.
function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  try {
    return realpathSync(invoked) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `cio-actions check … | head`: a closed stdout ends the run quietly instead of an unhandled EPIPE
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (process.stdout.listenerCount('error') > 1) return; // `run` handles a closed output itself (LineWriter)
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const redact = createRedactor({ siteId: process.env.CUSTOMERIO_SITE_ID, apiKey: process.env.CUSTOMERIO_API_KEY });
      process.stderr.write(redact(`cio-actions: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
      process.exitCode = 1;
    },
  );
}
