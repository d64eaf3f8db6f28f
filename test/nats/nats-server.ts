// Test helper: finds the nats-server binary (NATS_SERVER_PATH, then `nats-server` on PATH, else a
// clear failure) and starts one with JetStream on a temporary store dir and a free 127.0.0.1 port.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The nats-server binary, or an Error saying how to get one. */
export function findNatsServer(): string {
  const candidates = [process.env.NATS_SERVER_PATH, ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'nats-server')), '/usr/sbin/nats-server', '/usr/bin/nats-server'];
  for (const c of candidates) {
    if (c === undefined || c === '' || c === 'nats-server') continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new Error('nats-server not found: install it (`apt-get install -y nats-server`) or set NATS_SERVER_PATH to the binary');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = tcpConnect({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Stops (SIGTERM, then SIGKILL) and starts again on the same port and store (file storage survives). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
}

export async function startNatsServer(): Promise<NatsServer> {
  const bin = findNatsServer();
  const storeDir = mkdtempSync(path.join(tmpdir(), 'cio-nats-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';

  async function start(): Promise<void> {
    child = spawn(bin, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`nats-server exited (${child.exitCode}):\n${log}`);
      if (/Server is ready/.test(log.slice(-4000)) && (await portOpen(port))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nats-server did not start within 30 s:\n${log}`);
  }

  async function halt(): Promise<void> {
    const c = child;
    if (c === undefined || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    async restart() {
      await halt();
      log += '\n--- restart ---\n';
      await start();
    },
    async stop() {
      await halt();
      rmSync(storeDir, { recursive: true, force: true });
    },
    log: () => log,
  };
}
