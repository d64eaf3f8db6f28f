// `cio-actions repl [--event FILE]`: an interactive loop over ReplSession (repl/session.ts) with
// prompts, multi-line input, tab completion and a history file; works on a pipe too (no prompts).

import { appendFile, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CommandSpec } from '../args.js';
import { UsageError } from '../args.js';
import { readText, styles, type CommandRun, type Io } from '../io.js';
import { historyEntry, isIncomplete, loadEvent, ReplSession } from '../repl/session.js';

export const spec: CommandSpec = {
  name: 'repl',
  summary: 'Try triggers and mapping expressions against an event, interactively.',
  usage: '[--event FILE]',
  options: {
    event: { type: 'string', short: 'e', value: 'FILE', description: 'the starting event: a JSON file, or the first line of an NDJSON file' },
  },
  positionals: { min: 0, max: 0, name: '' },
  details: `Inside: an expression prints its value; \`let $x = …\` defines a variable; :help lists the commands
(:event, :load, :functions, :fields, :lets, :reset, :quit). Ctrl-C clears the input; Ctrl-C twice
on an empty input, or Ctrl-D, quits. Tab completes commands, functions, fields and event paths. History is kept in ~/.cio_actions_history
(CIO_ACTIONS_HISTORY sets another file; an empty value turns it off).`,
};

const HISTORY_SIZE = 500;

function historyFile(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CIO_ACTIONS_HISTORY !== undefined) return env.CIO_ACTIONS_HISTORY === '' ? undefined : env.CIO_ACTIONS_HISTORY;
  return path.join(env.HOME ?? homedir(), '.cio_actions_history');
}

async function loadHistory(file: string | undefined): Promise<string[]> {
  if (file === undefined) return [];
  try {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-HISTORY_SIZE).reverse(); // readline wants the newest first
  } catch {
    return [];
  }
}

/** Runs the loop until :quit or end of input. */
export async function repl(io: Io, session: ReplSession): Promise<void> {
  const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const hist = terminal ? historyFile(io.env) : undefined;
  const rl = createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal,
    history: await loadHistory(hist),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string) => session.complete(line),
  });
  const { out } = styles(io);
  const prompt = out.cyan('cio> ');
  const more = out.dim('...> ');
  io.stdout.write(session.banner());
  let buffer = '';
  rl.setPrompt(prompt);
  if (terminal) rl.prompt();
  // Lines are handled strictly one after another, even when a pipe delivers them all at once.
  let chain = Promise.resolve();
  let quit = false;
  let closedByKey = false;
  const done = new Promise<void>((resolve) => rl.once('close', () => resolve()));
  // Ctrl-C as in node, python and bash: clears what is typed (a continuation too); on an empty
  // input, a second Ctrl-C in a row quits (so does Ctrl-D)
  let interrupted = false;
  rl.on('SIGINT', () => {
    const typed = rl.line !== '' || buffer !== '';
    if (typed || !interrupted) {
      rl.write(null, { ctrl: true, name: 'e' });
      rl.write(null, { ctrl: true, name: 'u' });
      buffer = '';
      rl.setPrompt(prompt);
      io.stdout.write(typed ? '^C\n' : `\n${out.dim('(To exit, press Ctrl-C again or Ctrl-D, or type :quit)')}\n`);
      interrupted = !typed;
      rl.prompt();
      return;
    }
    closedByKey = true;
    io.stdout.write('\n');
    rl.close();
  });
  // readline's history holds the lines as typed; a multi-line input becomes one entry instead
  const history = (rl as unknown as { history?: string[] }).history;
  let continuationLines = 0;
  rl.on('line', (line) => {
    interrupted = false;
    chain = chain.then(async () => {
      if (quit) return;
      const continuing = buffer !== '';
      buffer = continuing ? `${buffer}\n${line}` : line;
      // an empty line ends a multi-line input even if it still looks unfinished
      if (isIncomplete(buffer) && !(continuing && line.trim() === '')) {
        continuationLines++;
        rl.setPrompt(more);
        if (terminal) rl.prompt();
        return;
      }
      const input = buffer;
      buffer = '';
      rl.setPrompt(prompt);
      const entry = historyEntry(input);
      if (continuationLines > 0 && history !== undefined && entry !== '') {
        // drop the separate lines (newest first; blank lines are not in the history) and keep the whole input
        const parts = input.split('\n').filter((l) => l.trim() !== '').length;
        history.splice(0, Math.min(parts, history.length), entry);
      }
      continuationLines = 0;
      if (hist && entry !== '') await appendFile(hist, `${entry}\n`).catch(() => undefined);
      const result = await session.handle(input);
      if (result.output) io.stdout.write(result.output);
      if (result.quit) {
        quit = true;
        rl.close();
        return;
      }
      if (terminal) rl.prompt();
    });
  });
  await done;
  await chain;
  // end of piped input runs what is left; Ctrl-C / Ctrl-D at a terminal never runs a half-typed input
  if (buffer.trim() !== '' && !quit && !closedByKey && !terminal) {
    const result = await session.handle(buffer);
    if (result.output) io.stdout.write(result.output);
  }
}

export const run: CommandRun = async (args, io) => {
  const { out } = styles(io);
  let event: unknown;
  let label: string | undefined;
  const file = args.options.event;
  if (typeof file === 'string') {
    if (file === '-') throw new UsageError('the REPL reads commands from stdin; give the event as a file');
    try {
      const loaded = loadEvent(await readText(file, io));
      event = loaded.event;
      label = file;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${file}: ${(e as Error).message}`);
    }
  }
  const session = new ReplSession({ style: out, event, ...(label === undefined ? {} : { eventLabel: label }) });
  await repl(io, session);
  return 0;
};
