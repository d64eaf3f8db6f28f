// `cio-actions playground [--port N] [--open]`: serves the browser playground (dist/playground/,
// built by `npm run build:playground`) on 127.0.0.1 and prints its URL as one JSON line. The page
// needs nothing from the server but its three files: the compiler runs in the browser.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { UsageError, type CommandSpec } from '../args.js';
import { styles, type CommandRun } from '../io.js';
import { packageRoot } from '../package-root.js';

export const spec: CommandSpec = {
  name: 'playground',
  summary: 'Serve the browser playground (event, trigger, mapping, body, side by side) on 127.0.0.1.',
  usage: '[--port N] [--open]',
  options: {
    port: { type: 'string', short: 'p', value: 'N', description: 'port on 127.0.0.1 (default 0: any free port)' },
    open: { type: 'boolean', description: 'open the page in the default browser' },
  },
  positionals: { min: 0, max: 0, name: 'nothing' },
  details: `Prints {"listening": "http://127.0.0.1:PORT"} on stdout once it serves; Ctrl-C stops it.
The same page works without a server: open dist/playground/index.html (npm run build:playground).
Exit code: 0 stopped, 2 usage (bad port, page not built).`,
};

/** The folder with the built page: dist/playground/ of our package (found from here: dist/src/cli/commands/ or the bundle in dist/cli/). */
export const PLAYGROUND_DIR = path.join(packageRoot().dir, 'dist', 'playground') + path.sep;

/** The only files served, with their types: nothing else under any path. */
const FILES: Readonly<Record<string, [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/playground.js': ['playground.js', 'text/javascript; charset=utf-8'],
  '/playground.css': ['playground.css', 'text/css; charset=utf-8'],
};

function parsePort(value: string | boolean | undefined): number {
  if (value === undefined) return 0;
  const text = String(value);
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not \`${text}\``);
  return Number(text);
}

function handler(port: () => number) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    // only our own origin: a page elsewhere cannot reach this server through a rebound DNS name
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port()}` && host !== `localhost:${port()}`) return send(421, 'wrong host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'only GET and HEAD\n');
    const pathname = (req.url ?? '/').split(/[?#]/, 1)[0] as string;
    const entry = Object.hasOwn(FILES, pathname) ? FILES[pathname] : undefined;
    if (!entry) return send(404, 'not found\n');
    try {
      send(200, await readFile(`${PLAYGROUND_DIR}${entry[0]}`, 'utf8'), entry[1]);
    } catch {
      send(500, `${entry[0]} is missing: run \`npm run build:playground\`\n`);
    }
  };
}

/** Opens `url` with the platform's opener; a failure is a note, not an error. */
function openBrowser(url: string, note: (text: string) => void): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => note(`could not open a browser (${cmd}); open ${url} yourself`));
    child.unref();
  } catch {
    note(`could not open a browser; open ${url} yourself`);
  }
}

export const run: CommandRun = async (args, io) => {
  const port = parsePort(args.options.port);
  const { err } = styles(io);
  if (!existsSync(`${PLAYGROUND_DIR}index.html`)) throw new UsageError(`the playground is not built (${PLAYGROUND_DIR} has no index.html): run \`npm run build:playground\``);
  let bound = port;
  const server = createServer((req, res) => void handler(() => bound)(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new UsageError(`port ${port} on 127.0.0.1 is in use; pick another with --port, or --port 0`) : e));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  bound = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://127.0.0.1:${bound}`;
  io.stdout.write(`${JSON.stringify({ listening: url })}\n`);
  io.stderr.write(err.dim(`playground at ${url}/ (Ctrl-C stops it)\n`));
  if (args.options.open === true) openBrowser(`${url}/`, (text) => io.stderr.write(`${text}\n`));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
};
