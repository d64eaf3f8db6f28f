// The `destination.json` configuration of `run`: read, validate (every mistake at once, each with
// its JSON path and a did-you-mean), merge the CUSTOMERIO_* environment, compile the subscriptions.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './args.js';
import { credentialProblem, parseRegion, type Region } from '../settings/settings.js';
import { suggestion } from './suggest.js';

/** A configuration mistake (exit 2). `problems` are one line each, already prefixed with their JSON path. */
export class ConfigError extends UsageError {
  constructor(readonly problems: string[], readonly details = '') {
    super(problems.length === 1 ? (problems[0] as string) : `${problems.length} problems in the configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** One entry of `subscriptions`: a `.map` file or a Segment subscription JSON file, relative to the config file. */
export interface SubscriptionFile {
  /** JSON path of the entry, for messages (`$.subscriptions[2]`). */
  at: string;
  /** As written in the config. */
  file: string;
  /** Resolved against the config file's folder. */
  resolved: string;
}

export type PresetChoice = 'quick' | 'all' | 'none';
export type ProfileChoice = 'strict' | 'segment';

/** The validated configuration, before subscriptions are compiled. Secrets stay in `settings` only. */
export interface RunConfig {
  settings: { siteId: string; apiKey: string; region: Region };
  presets: PresetChoice;
  profile: ProfileChoice;
  subscriptions: SubscriptionFile[];
  /** Options passed through to `deliver` (validated against DELIVERY_KEYS). */
  delivery: Record<string, unknown>;
  /** Options of `serve` (validated against SERVER_KEYS); holds the write keys (secrets). */
  server: Record<string, unknown>;
  /** The JetStream queue of `serve --queue nats://…` and `worker` (validated against QUEUE_KEYS). */
  queue: Record<string, unknown>;
  /** Which lints `check` and `eval --config` report (validated against LINT_KEYS). */
  lints: { segment: boolean };
  /** Where the configuration came from, for messages (`examples/destination.json` or `environment`). */
  source: string;
}

/** A tiny schema for the `delivery` block: enough to name every mistake with its JSON path. */
type Field =
  | { kind: 'string' | 'boolean'; description: string }
  | { kind: 'strings'; description: string }
  | { kind: 'integer'; min?: number; max?: number; description: string }
  | { kind: 'choice'; choices: readonly string[]; description: string }
  | { kind: 'object'; keys: Readonly<Record<string, Field>>; description: string };

/** Options accepted under `delivery`; names and meanings are the library's `deliver` options. */
export const DELIVERY_KEYS: Readonly<Record<string, Field>> = {
  endpoint: { kind: 'string', description: 'base URL instead of the region host (a test server, a proxy)' },
  deadLetter: { kind: 'string', description: 'NDJSON file for events that could not be delivered (relative to the config file)' },
  concurrency: { kind: 'integer', min: 1, max: 64, description: 'requests in flight at once' },
  timeoutMs: { kind: 'integer', min: 1, description: 'timeout of one HTTP attempt, in milliseconds' },
  flushIntervalMs: { kind: 'integer', min: 0, description: 'send a partial batch after this long, in milliseconds' },
  flushMs: { kind: 'integer', min: 0, description: 'the same as flushIntervalMs (the name `serve` documents)' },
  maxItemBytes: { kind: 'integer', min: 1, description: 'per-item body limit in bytes' },
  maxRequestBytes: { kind: 'integer', min: 1, description: 'per-request body limit in bytes' },
  defaultBatchSize: { kind: 'integer', min: 2, max: 100, description: 'batch size when a subscription gives none' },
  ordering: { kind: 'choice', choices: ['per-person', 'per-queue'], description: 'ordering guarantee' },
  retry: {
    kind: 'object',
    description: 'retry policy',
    keys: {
      maxAttempts: { kind: 'integer', min: 1, max: 50, description: 'attempts per request, the first included' },
      baseDelayMs: { kind: 'integer', min: 0, description: 'first backoff cap in milliseconds' },
      maxDelayMs: { kind: 'integer', min: 0, description: 'upper bound of one backoff' },
      maxTotalMs: { kind: 'integer', min: 0, description: 'upper bound of the time spent on one request' },
      maxRetryAfterMs: { kind: 'integer', min: 0, description: 'a longer Retry-After is clamped to this' },
    },
  },
};

/** Options accepted under `server` (`cio-actions serve`). */
export const SERVER_KEYS: Readonly<Record<string, Field>> = {
  writeKeys: { kind: 'strings', description: 'Segment write keys the server accepts (or CIO_ACTIONS_WRITE_KEYS, comma-separated)' },
  dedupeWindowMs: { kind: 'integer', min: 0, description: 'a messageId accepted within this window is not queued again (0 = off)' },
  maxQueueEvents: { kind: 'integer', min: 1, description: 'events the journal holds at most before answering 503' },
  maxQueueBytes: { kind: 'integer', min: 1, description: 'bytes the journal holds at most before answering 503' },
  requestTimeoutMs: { kind: 'integer', min: 100, description: 'a request must arrive within this long' },
  drainMs: { kind: 'integer', min: 0, description: 'on SIGTERM/SIGINT, time given to deliver what is in flight' },
};

/** Options accepted under `queue` (the JetStream backend; names are src/queue/jetstream/options.ts's). */
export const QUEUE_KEYS: Readonly<Record<string, Field>> = {
  url: { kind: 'string', description: 'nats://HOST:PORT (comma-separated for several servers); --queue wins' },
  stream: { kind: 'string', description: 'the events stream (default cio-events); --stream wins' },
  partitions: { kind: 'integer', min: 1, max: 1024, description: 'person partitions, fixed once the stream exists (default 16)' },
  replicas: { kind: 'integer', min: 1, max: 5, description: 'stream replicas (default 1; 3 on a cluster)' },
  retention: { kind: 'choice', choices: ['workqueue', 'limits'], description: 'workqueue: removed once delivered (default); limits: kept until maxBytes/maxAgeMs' },
  maxBytes: { kind: 'integer', min: 1024, description: 'stream size limit in bytes; past it ingestion answers 503 (default 1 GiB)' },
  maxAgeMs: { kind: 'integer', min: 1000, description: 'with limits retention: how long events are kept' },
  duplicateWindowMs: { kind: 'integer', min: 100, description: 'a repeated messageId within this window is dropped (default 120000)' },
  ackWaitMs: { kind: 'integer', min: 500, description: 'an unacknowledged event is handed out again after this long (default 30000)' },
  maxDeliver: { kind: 'integer', min: 1, max: 1000, description: 'hand-outs of one event before it is dead-lettered (default 5)' },
  leaseMs: { kind: 'integer', min: 300, description: 'partition lease time to live (default 10000)' },
  deadLetterStream: { kind: 'string', description: 'stream dead letters are also published to (default cio-dead-letters)' },
  maxAckPending: { kind: 'integer', min: 1, max: 100000, description: 'events a worker holds unacknowledged per partition (default 1000)' },
};

/** Options accepted under `lints`: which warnings `check --config` and `eval --config` report. */
export const LINT_KEYS: Readonly<Record<string, Field>> = {
  segment: {
    kind: 'boolean',
    description: "false: no warnings where Segment's own engine would answer differently (FQL3xx), for triggers only this engine runs; the same as --no-segment-lints (default true)",
  },
};

/** Checks `value` against `field`; pushes one problem per mistake; returns the accepted value or undefined. */
function checkField(value: unknown, field: Field, at: string, problems: string[]): unknown {
  switch (field.kind) {
    case 'string':
    case 'boolean':
      if (typeof value === field.kind) return value;
      problems.push(`${at}: must be a ${field.kind}, not ${typeName(value)}`);
      return undefined;
    case 'strings':
      if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')) return [...(value as string[])];
      problems.push(`${at}: must be a list of non-empty strings, not ${typeName(value)}`);
      return undefined;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${at}: must be an integer, not ${typeof value === 'number' ? value : typeName(value)}`);
      else if ((field.min !== undefined && (value as number) < field.min) || (field.max !== undefined && (value as number) > field.max)) {
        problems.push(`${at}: must be ${field.max === undefined ? `at least ${field.min}` : `between ${field.min ?? 0} and ${field.max}`}, not ${value as number}`);
      } else return value;
      return undefined;
    case 'choice':
      if (typeof value === 'string' && field.choices.includes(value)) return value;
      problems.push(`${at}: must be one of ${field.choices.map((c) => `"${c}"`).join(', ')}, not ${typeof value === 'string' ? JSON.stringify(value) + suggestion(value, field.choices) : typeName(value)}`);
      return undefined;
    case 'object': {
      if (!isObject(value)) {
        problems.push(`${at}: must be an object, not ${typeName(value)}`);
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const sub = Object.hasOwn(field.keys, key) ? field.keys[key] : undefined;
        if (sub === undefined) problems.push(`${at}.${key}: unknown key${suggestion(key, Object.keys(field.keys))}; keys: ${Object.keys(field.keys).join(', ')}`);
        else {
          const accepted = checkField(v, sub, `${at}.${key}`, problems);
          if (accepted !== undefined) Object.defineProperty(out, key, { value: accepted, enumerable: true, writable: true, configurable: true });
        }
      }
      return out;
    }
  }
}

const TOP_KEYS = ['$schema', 'settings', 'presets', 'profile', 'subscriptions', 'delivery', 'server', 'queue', 'lints'] as const;
const SETTINGS_KEYS = ['siteId', 'apiKey', 'region'] as const;
const PRESETS: readonly PresetChoice[] = ['quick', 'all', 'none'];
const PROFILES: readonly ProfileChoice[] = ['strict', 'segment'];

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

/** Parses JSON text, turning V8's "at position N" into `file:line:col`. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    const where = m ? `${file}:${lineColumn(text, Number(m[1]))}` : file;
    throw new ConfigError([`${where}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '')}`]);
  }
}

/**
 * Validates a parsed configuration. `env` supplies CUSTOMERIO_SITE_ID / CUSTOMERIO_API_KEY /
 * CUSTOMERIO_REGION, which win over the file (so the placeholder credentials of an example
 * config can be replaced without editing it). Messages never contain a credential's value.
 */
export function validateConfig(raw: unknown, options: { file?: string; env?: NodeJS.ProcessEnv; credentials?: boolean } = {}): RunConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const base = options.file ? path.dirname(options.file) : process.cwd();
  const doc = raw === undefined ? {} : raw;
  if (!isObject(doc)) throw new ConfigError([`$: the configuration must be a JSON object, not ${typeName(doc)}`]);

  for (const key of Object.keys(doc)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) problems.push(`$.${key}: unknown key${suggestion(key, TOP_KEYS)}; keys: ${TOP_KEYS.slice(1).join(', ')}`);
  }

  // settings
  const settingsRaw = Object.hasOwn(doc, 'settings') ? doc.settings : {};
  const settings: Record<string, unknown> = isObject(settingsRaw) ? settingsRaw : {};
  if (!isObject(settingsRaw)) problems.push(`$.settings: must be an object, not ${typeName(settingsRaw)}`);
  for (const key of Object.keys(settings)) {
    if (!(SETTINGS_KEYS as readonly string[]).includes(key)) problems.push(`$.settings.${key}: unknown key${suggestion(key, SETTINGS_KEYS)}; keys: ${SETTINGS_KEYS.join(', ')}`);
  }
  const credential = (key: 'siteId' | 'apiKey', envName: string): string => {
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const v = Object.hasOwn(settings, key) ? settings[key] : undefined;
    // a dry run sends nothing: credentials it is not given are placeholders (never printed: the URL has none)
    if (options.credentials === false && (v === undefined || (typeof v === 'string' && v.trim() === ''))) return DRY_RUN_CREDENTIAL;
    const problem = credentialProblem(v);
    if (problem === undefined) return v as string;
    if (problem === 'missing') problems.push(`$.settings.${key}: missing; set it in the configuration file or in ${envName}`);
    else if (problem === 'not a string') problems.push(`$.settings.${key}: must be a string, not ${typeName(v)}`);
    else problems.push(`$.settings.${key}: must not be empty; set it in the configuration file or in ${envName}`);
    return '';
  };
  const siteId = credential('siteId', 'CUSTOMERIO_SITE_ID');
  const apiKey = credential('apiKey', 'CUSTOMERIO_API_KEY');
  let region: Region = 'US';
  const envRegion = env.CUSTOMERIO_REGION;
  const regionRaw = envRegion !== undefined && envRegion !== '' ? envRegion : Object.hasOwn(settings, 'region') ? settings.region : undefined;
  const regionAt = envRegion !== undefined && envRegion !== '' ? 'CUSTOMERIO_REGION' : '$.settings.region';
  if (regionRaw !== undefined) {
    const r = parseRegion(regionRaw);
    if (r === undefined) problems.push(`${regionAt}: must be "US" or "EU", not ${typeof regionRaw === 'string' ? JSON.stringify(regionRaw) : typeName(regionRaw)}`);
    else region = r;
  }

  const choice = <T extends string>(key: 'presets' | 'profile', choices: readonly T[], fallback: T): T => {
    if (!Object.hasOwn(doc, key)) return fallback;
    const v = doc[key];
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    const shown = typeof v === 'string' ? JSON.stringify(v) : typeName(v);
    problems.push(`$.${key}: must be one of ${choices.map((c) => `"${c}"`).join(', ')}, not ${shown}${typeof v === 'string' ? suggestion(v, choices) : ''}`);
    return fallback;
  };
  const presets = choice('presets', PRESETS, 'quick');
  const profile = choice('profile', PROFILES, 'strict');

  // subscriptions
  const subscriptions: SubscriptionFile[] = [];
  if (Object.hasOwn(doc, 'subscriptions')) {
    const list = doc.subscriptions;
    if (!Array.isArray(list)) problems.push(`$.subscriptions: must be a list of .map or Segment .json file paths, not ${typeName(list)}`);
    else {
      const seen = new Map<string, string>(); // resolved path → where it was first listed
      list.forEach((entry: unknown, i) => {
        const at = `$.subscriptions[${i}]`;
        if (typeof entry !== 'string' || entry.trim() === '') problems.push(`${at}: must be a file path (a .map file or a Segment subscription .json), not ${typeName(entry)}`);
        else if (!/\.(map|json)$/i.test(entry)) problems.push(`${at}: "${entry}" must end in .map or .json`);
        else {
          const resolved = path.resolve(base, entry);
          const first = seen.get(resolved);
          // the same file twice would run its subscriptions twice: every request sent twice
          if (first !== undefined) problems.push(`${at}: "${entry}" is already listed at ${first}; each subscription would run twice (every request sent twice)`);
          else {
            seen.set(resolved, at);
            subscriptions.push({ at, file: entry, resolved });
          }
        }
      });
    }
  }

  // delivery
  let delivery: Record<string, unknown> = {};
  if (Object.hasOwn(doc, 'delivery')) {
    const accepted = checkField(doc.delivery, { kind: 'object', keys: DELIVERY_KEYS, description: '' }, '$.delivery', problems) as Record<string, unknown> | undefined;
    if (accepted) {
      if (typeof accepted.deadLetter === 'string') accepted.deadLetter = path.resolve(base, accepted.deadLetter);
      if (accepted.flushMs !== undefined) {
        // one name for deliver: flushIntervalMs (flushMs is the alias `serve` documents)
        if (accepted.flushIntervalMs === undefined) accepted.flushIntervalMs = accepted.flushMs;
        delete accepted.flushMs;
      }
      delivery = accepted;
    }
  }

  // server
  let server: Record<string, unknown> = {};
  if (Object.hasOwn(doc, 'server')) {
    const accepted = checkField(doc.server, { kind: 'object', keys: SERVER_KEYS, description: '' }, '$.server', problems) as Record<string, unknown> | undefined;
    if (accepted) server = accepted;
  }

  // queue
  let queue: Record<string, unknown> = {};
  if (Object.hasOwn(doc, 'queue')) {
    const accepted = checkField(doc.queue, { kind: 'object', keys: QUEUE_KEYS, description: '' }, '$.queue', problems) as Record<string, unknown> | undefined;
    if (accepted) queue = accepted;
  }

  // lints
  const lints = { segment: true };
  if (Object.hasOwn(doc, 'lints')) {
    const accepted = checkField(doc.lints, { kind: 'object', keys: LINT_KEYS, description: '' }, '$.lints', problems) as Record<string, unknown> | undefined;
    if (accepted?.segment === false) lints.segment = false;
  }

  if (problems.length > 0) throw new ConfigError(problems.map((p) => (options.file ? `${options.file}: ${p}` : p)));
  return { settings: { siteId, apiKey, region }, presets, profile, subscriptions, delivery, server, queue, lints, source: options.file ?? 'environment' };
}

/** What a dry run without credentials uses for siteId and apiKey. */
export const DRY_RUN_CREDENTIAL = 'dry-run';

/**
 * Reads and validates `file` (or only the environment when `file` is undefined). With
 * `credentials: false` (a dry run) a missing siteId or apiKey is not an error.
 */
export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env, options: { credentials?: boolean } = {}): Promise<RunConfig> {
  const credentials = options.credentials ?? true;
  if (file === undefined) return validateConfig(undefined, { env, credentials });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([code === 'ENOENT' ? `${file}: configuration file not found` : `${file}: cannot read the configuration (${code ?? (err as Error).message})`]);
  }
  return validateConfig(parseJsonFile(text, file), { file, env, credentials });
}

/**
 * Whether `check`/`eval` report the Segment-compatibility lints (FQL3xx): off with
 * `--no-segment-lints`, or with `"lints": { "segment": false }` in the `--config` file.
 */
export async function segmentLintsWanted(options: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (options['no-segment-lints'] === true) return false;
  if (typeof options.config !== 'string') return true;
  return (await loadConfig(options.config, env, { credentials: false })).lints.segment;
}

/** The `--config` option row of `check` and `eval`. */
export const LINT_CONFIG_OPTION = {
  type: 'string',
  short: 'c',
  value: 'FILE',
  description: 'destination.json whose `lints` block says which warnings to report (`"lints": {"segment": false}` is --no-segment-lints)',
} as const;
