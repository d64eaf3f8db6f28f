// Options of the JetStream queue (stream, partitions, consumers, leases) and their defaults; the
// names of everything it creates on the server derive from `stream` here and nowhere else.

/** How the JetStream backend is laid out and tuned; every field but `url` has a default. */
export interface JetStreamOptions {
  /** `nats://HOST:PORT`, or several comma-separated (a cluster's seed servers). */
  url: string;
  /** The events stream (default `cio-events`); its subjects are `<stream>.p.<partition>`. */
  stream?: string;
  /** Person partitions (default 16): at any time one worker owns a partition. Fixed once the stream exists. */
  partitions?: number;
  /** Stream replicas (default 1; 3 on a cluster survives losing a server). */
  replicas?: number;
  /** `workqueue` (default: an event is removed once acknowledged) or `limits` (kept until maxBytes/maxAgeMs; replayable). */
  retention?: 'workqueue' | 'limits';
  /** Stream size limit in bytes (default 1 GiB); past it `append` is refused (QueueFullError, HTTP 503). */
  maxBytes?: number;
  /** With `limits` retention: how long events are kept (default 7 days). */
  maxAgeMs?: number;
  /** JetStream's duplicate window: the same messageId published again within it is dropped (default 2 minutes). */
  duplicateWindowMs?: number;
  /** An unacknowledged event is handed out again after this long (default 30 s); a worker extends it while it works. */
  ackWaitMs?: number;
  /** Hand-outs of one event before it is dead-lettered instead of processed (default 5). */
  maxDeliver?: number;
  /** Partition lease time to live (default 10 s): a dead worker's partitions are taken over after it (+ ackWaitMs). */
  leaseMs?: number;
  /** The stream dead letters are also published to (default `cio-dead-letters`). */
  deadLetterStream?: string;
  /** Events a worker holds unacknowledged per partition (default 1 000, the consumer's max_ack_pending). */
  maxAckPending?: number;
  /** Connection timeout for the first connect (default 5 000 ms). */
  connectTimeoutMs?: number;
  /** Name of this process in NATS and in the lease table (default `<host>-<pid>`). */
  name?: string;
}

export type ResolvedJetStreamOptions = Required<JetStreamOptions>;

export const JETSTREAM_DEFAULTS = Object.freeze({
  stream: 'cio-events',
  partitions: 16,
  replicas: 1,
  retention: 'workqueue' as const,
  maxBytes: 1024 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600 * 1000,
  duplicateWindowMs: 120_000,
  ackWaitMs: 30_000,
  maxDeliver: 5,
  leaseMs: 10_000,
  deadLetterStream: 'cio-dead-letters',
  maxAckPending: 1_000,
  connectTimeoutMs: 5_000,
});

/** A stream or bucket name JetStream accepts (no dots, spaces, wildcards or path separators). */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Fills defaults and checks every field; throws one TypeError naming each bad option. */
export function resolveJetStreamOptions(options: JetStreamOptions, name: string): ResolvedJetStreamOptions {
  const problems: string[] = [];
  const int = (key: keyof typeof JETSTREAM_DEFAULTS, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = options[key as keyof JetStreamOptions];
    if (v === undefined) return JETSTREAM_DEFAULTS[key] as number;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${key} must be an integer between ${min} and ${max}, not ${JSON.stringify(v)}`);
      return JETSTREAM_DEFAULTS[key] as number;
    }
    return v;
  };
  const str = (key: 'stream' | 'deadLetterStream'): string => {
    const v = options[key] ?? JETSTREAM_DEFAULTS[key];
    if (typeof v !== 'string' || !NAME.test(v)) problems.push(`${key} must be letters, digits, - or _ (at most 64), not ${JSON.stringify(v)}`);
    return v;
  };
  parseServers(options.url, problems);
  const retention = options.retention ?? JETSTREAM_DEFAULTS.retention;
  if (retention !== 'workqueue' && retention !== 'limits') problems.push(`retention must be "workqueue" or "limits", not ${JSON.stringify(retention)}`);
  const resolved: ResolvedJetStreamOptions = {
    url: options.url,
    stream: str('stream'),
    partitions: int('partitions', 1, 1024),
    replicas: int('replicas', 1, 5),
    retention,
    maxBytes: int('maxBytes', 1024),
    maxAgeMs: int('maxAgeMs', 1000),
    duplicateWindowMs: int('duplicateWindowMs', 100),
    ackWaitMs: int('ackWaitMs', 500),
    maxDeliver: int('maxDeliver', 1, 1000),
    leaseMs: int('leaseMs', 300),
    deadLetterStream: str('deadLetterStream'),
    maxAckPending: int('maxAckPending', 1, 100_000),
    connectTimeoutMs: int('connectTimeoutMs', 100),
    name: options.name ?? name,
  };
  if (resolved.stream === resolved.deadLetterStream) problems.push('deadLetterStream must differ from stream');
  if (problems.length > 0) throw new TypeError(`JetStream queue options: ${problems.join('; ')}`);
  return resolved;
}

/** `nats://a:4222,nats://b:4222` → the server list; pushes a problem for anything that is not a nats:// URL. */
export function parseServers(url: unknown, problems: string[] = []): string[] {
  if (typeof url !== 'string' || url.trim() === '') {
    problems.push(`url must be a nats:// URL, not ${JSON.stringify(url)}`);
    return [];
  }
  const servers = url.split(',').map((s) => s.trim());
  for (const s of servers) {
    let ok = false;
    try {
      const u = new URL(s);
      ok = (u.protocol === 'nats:' || u.protocol === 'tls:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    // never echo credentials embedded in the URL
    if (!ok) problems.push(`url must be nats://HOST[:PORT] (comma-separated for several), not ${JSON.stringify(redactUrl(s))}`);
  }
  return servers;
}

/** A server URL without user:password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** The subject of one partition, and the names derived from the stream. */
export function names(o: Pick<ResolvedJetStreamOptions, 'stream' | 'deadLetterStream'>) {
  return {
    subject: (p: number) => `${o.stream}.p.${p}`,
    subjects: `${o.stream}.p.*`,
    consumer: (p: number) => `p${p}`,
    leases: `${o.stream}-leases`,
    deadLetterSubject: `${o.deadLetterStream}.letter`,
  };
}
