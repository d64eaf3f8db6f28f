// The operations endpoints of a long-running command: GET /health (alive), /ready (200, or 503 with
// the reason), /metrics (Prometheus text). Listens on 127.0.0.1 by default; nothing else is served.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpsServerOptions {
  host: string;
  port: number;
  /** undefined when ready, else why not. */
  ready: () => string | undefined;
  metrics: () => string | Promise<string>;
}

export async function startOpsServer(o: OpsServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end('{"error":"method not allowed"}');
      return;
    }
    if (url === '/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    else if (url === '/ready') {
      const why = o.ready();
      res.writeHead(why === undefined ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(why === undefined ? { ready: true } : { ready: false, reason: why }));
    } else if (url === '/metrics') {
      Promise.resolve()
        .then(o.metrics)
        .then(
          (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text),
          () => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"metrics unavailable"}'),
        );
    }
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  server.keepAliveTimeout = 65_000; // longer than clients keep idle connections (no reuse of a closed one)
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
