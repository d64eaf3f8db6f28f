// The server's logger: pino JSON lines on stderr. Two guards keep credentials out: pino's path
// redaction (authorization headers, writeKey / apiKey / siteId fields anywhere it is told), and a
// last pass over every written line that replaces the configured secret values themselves.

import pino, { type Logger } from 'pino';
import { REDACTED, createRedactor, type Secrets } from '../settings/redact.js';

export interface LogOptions {
  /** Secrets (site id, API key, write keys as `others`) that must never appear in a line, in any form. */
  secrets: Secrets;
  level?: string;
  /** Where lines go (default: stderr, synchronously so a crash loses none). */
  destination?: pino.DestinationStream;
}

export const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'writeKey',
  '*.writeKey',
  'apiKey',
  '*.apiKey',
  'siteId',
  '*.siteId',
];

export function createLogger(options: LogOptions): Logger {
  const redact = createRedactor(options.secrets);
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'cio-actions' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: (line) => redact(line) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
