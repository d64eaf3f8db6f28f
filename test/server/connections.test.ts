// Hostile connections: a client sending its body a byte a second is cut off by the request timeout
// while others are answered; 1,000 open idle connections do not stop the server from answering,
// and its heap stays bounded.

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basic, post, startStack, until, type Stack } from './helpers.js';

// child processes and thousands of events on a shared 2-core machine: waits are on conditions, bounded here
vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 });

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ server: { requestTimeoutMs: 1_500 } });
});
afterAll(async () => {
  await stack.close();
});

const auth = { authorization: basic() };

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect({ host: hostname, port: Number(port) }, () => resolve(s));
    s.once('error', reject);
  });
}

describe('connections', () => {
  it('a body sent a byte a second is cut off (408) while other clients are answered', async () => {
    const slow = await open(stack.url);
    const body = JSON.stringify({ userId: 'u', event: 'Slow' });
    let answer = '';
    let closed = false;
    slow.on('data', (c: Buffer) => (answer += c.toString('utf8')));
    slow.on('close', () => (closed = true));
    slow.on('error', () => {});
    slow.write(`POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    let sent = 0;
    const trickle = setInterval(() => {
      if (!closed && sent < body.length) slow.write(body[sent++]!);
    }, 1_000);
    try {
      // the others: answered while the slow one is still sending
      for (let i = 0; i < 20; i++) expect((await post(`${stack.url}/v1/track`, { userId: 'u', event: `Fast ${i}` }, auth)).status).toBe(200);
      expect(closed).toBe(false);
      await until(() => closed, 30_000, 'the slow client to be cut off');
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(sent).toBeLessThan(body.length);
    } finally {
      clearInterval(trickle);
      slow.destroy();
    }
  });

  it('1,000 idle connections: the server keeps answering and its heap stays bounded', async () => {
    const idle = await startStack();
    const sockets: Socket[] = [];
    try {
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 1_000; i += 100) sockets.push(...(await Promise.all(Array.from({ length: 100 }, () => open(idle.url)))));
      await until(async () => ((await new Promise<number>((r) => idle.server.http.getConnections((_e, n) => r(n)))) >= 1_000), 30_000, '1,000 connections accepted');
      for (let i = 0; i < 50; i++) expect((await post(`${idle.url}/v1/batch`, { batch: [{ type: 'track', userId: `u${i}`, event: 'E' }] }, auth)).status).toBe(200);
      expect(idle.queue.stats().depth).toBe(50);
      const grown = process.memoryUsage().heapUsed - before;
      // sockets cost a few KB each; 1,000 of them and 50 requests must stay far below 64 MB
      expect(grown).toBeLessThan(64 * 1024 * 1024);
      expect((await fetch(`${idle.url}/health`)).status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await idle.close();
    }
  });
});
