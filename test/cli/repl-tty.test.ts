// The REPL at a terminal (a fake TTY, in process): Ctrl-C clears the input like node, python and
// bash, twice on an empty input quits, Ctrl-D quits, multi-line inputs are one history entry.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { repl } from '../../src/cli/commands/repl.js';
import type { Io } from '../../src/cli/io.js';
import { style } from '../../src/cli/output.js';
import { ReplSession } from '../../src/cli/repl/session.js';

function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, isRaw: true });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 });
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  const io = { stdin, stdout, stderr: new PassThrough(), env: { CIO_ACTIONS_HISTORY: '', NO_COLOR: '1' } } as unknown as Io;
  const session = new ReplSession({ style: style(false) });
  const done = repl(io, session);
  /** Types `keys`, then waits until the output contains `until`. */
  const type = async (keys: string, until: string) => {
    const start = text.length;
    stdin.write(keys);
    for (let i = 0; i < 2000 && !text.slice(start).includes(until); i++) await new Promise((r) => setTimeout(r, 5));
    expect(text.slice(start)).toContain(until);
  };
  return { stdin, session, done, type, output: () => text };
}

describe('repl at a terminal', () => {
  it('Ctrl-C clears a half-typed line and a continuation, keeps the lets; twice on an empty line quits', async () => {
    const t = terminal();
    await t.type('let $x = 41\r', 'defined $x');
    await t.type('userId ?? ', 'userId ?? '); // typed (echoed), not entered
    await t.type('\u0003', '^C');
    await t.type('[1,\r', '...> ');
    await t.type('\u0003', '^C');
    await t.type('$x\r', '41'); // the let survived, the cleared inputs were not evaluated
    expect(t.output()).not.toMatch(/error/);
    await t.type('\u0003', 'To exit, press Ctrl-C again');
    t.stdin.write('\u0003');
    await t.done; // quits
  });

  it('Ctrl-D quits without running a half-typed continuation', async () => {
    const t = terminal();
    await t.type('[1,\r', '...> ');
    t.stdin.write('\u0004');
    await t.done;
    expect(t.output()).not.toContain('error');
  });

  it('keeps a multi-line input as one history entry', async () => {
    const t = terminal();
    await t.type('case type\r', '...> ');
    await t.type('  when "track" then "t" # comment\r', '...> ');
    await t.type('end\r', '"t"');
    // the previous entry (up arrow) is the whole input, joined, without the comment
    await t.type('\u001b[A', 'case type when "track" then "t" end');
    t.stdin.write('\u0003');
    t.stdin.write('\u0003');
    t.stdin.write('\u0003');
    await t.done;
  });
});
