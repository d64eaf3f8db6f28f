// The read plan of a mapping program (built once, by program.ts): fields whose value is an event
// path (`traits.email`) or a `??` chain of paths are read inline by the mapper, and path prefixes
// used more than once (`traits` in `traits.email`, `traits.created_at ?? traits.createdAt`) are
// read once per event into slots. Same answers as the path closures: own properties of plain objects.

import { unparen } from '../evaluator/ast-walk.js';
import { getKey, ownOf } from '../evaluator/value.js';
import type { Expr } from '../parser/ast.js';
import { eventKeys } from '../parser/walk.js';
import { templateText } from './extend.js';
import { lookupMappingFunction } from './functions/index.js';

/**
 * One path read: from the event root (`base` -1, at least one key) or from slot `base`, then
 * `len` keys (the first three also as fields, so the mapper reads them without an array).
 */
export class Read {
  constructor(
    readonly base: number,
    readonly len: number,
    readonly k0: string,
    readonly k1: string,
    readonly k2: string,
    readonly keys: readonly string[],
  ) {}
}

function toRead(base: number, keys: readonly string[]): Read {
  return new Read(base, keys.length, keys[0] ?? '', keys[1] ?? '', keys[2] ?? '', keys);
}

/**
 * Runs one read. `root` is the event and `records[k]` slot k's value, each when it is a plain
 * object (checked once per event by the caller), else undefined: so their keys need only the
 * own-property test, not the prototype test.
 */
export function readPath(r: Read, root: Record<string, unknown> | undefined, slots: readonly unknown[], records: ReadonlyArray<Record<string, unknown> | undefined>): unknown {
  if (r.base >= 0 && r.len === 0) return slots[r.base];
  const from = r.base < 0 ? root : records[r.base];
  if (from === undefined) return undefined;
  let v = ownOf(from, r.k0);
  if (r.len === 1 || v === undefined) return v;
  v = getKey(v, r.k1);
  if (r.len === 2 || v === undefined) return v;
  v = getKey(v, r.k2);
  if (r.len === 3 || v === undefined) return v;
  const keys = r.keys;
  for (let i = 3; i < keys.length && v !== undefined; i++) v = getKey(v, keys[i] as string);
  return v;
}

/**
 * A value made of event path reads: the first non-null of `paths`, else `fallback` (a constant)
 * or the last read; then `post` applied, when set (one-argument functions and templates around the chain).
 */
export interface ReadChain {
  paths: Array<readonly string[]>;
  fallback?: { value: unknown };
  post?: (value: unknown) => unknown;
}

/** The constant of a literal or `omit` (through parentheses); undefined for anything else. */
function literalOf(node: Expr): { value: unknown } | undefined {
  const n = unparen(node);
  return n.kind === 'literal' ? { value: n.value } : n.kind === 'omit' ? { value: undefined } : undefined;
}

/**
 * The read chain an expression computes, planned on its AST: an event key path (`traits.email`)
 * or a `??` chain of them (optionally ending in a literal), possibly inside one-argument functions
 * whose row states its function of the argument (`FunctionDef.one`: `lower(traits.email)`) and
 * single-placeholder templates (`"{{ traits.email }}"`). Undefined when the expression is anything else.
 */
export function readChainOf(node: Expr): ReadChain | undefined {
  const n = unparen(node);
  switch (n.kind) {
    case 'path': {
      const keys = eventKeys(n);
      return keys !== undefined && keys.length > 0 ? { paths: [keys] } : undefined;
    }
    case 'call':
    case 'template': {
      let arg: Expr;
      let apply: ((value: unknown) => unknown) | undefined;
      if (n.kind === 'call') {
        if (n.args.length !== 1) return undefined;
        arg = n.args[0] as Expr;
        apply = lookupMappingFunction(n.name)?.one?.(arg);
      } else {
        if (n.parts.length !== 1 || typeof n.parts[0] === 'string') return undefined;
        arg = n.parts[0] as Expr;
        apply = templateText;
      }
      if (apply === undefined) return undefined;
      const inner = readChainOf(arg);
      if (inner === undefined) return undefined;
      const first = inner.post;
      const f = apply;
      return { ...inner, post: first === undefined ? f : (v) => f(first(v)) };
    }
    case 'coalesce': {
      if (n.op !== '??') return undefined;
      const left = readChainOf(n.left);
      // a constant inside the chain ends it: only a last constant is supported; a function applies to a whole chain only
      if (left === undefined || left.fallback !== undefined || left.post !== undefined) return undefined;
      const c = literalOf(n.right);
      if (c !== undefined) return { paths: left.paths, fallback: c };
      const right = readChainOf(n.right);
      if (right === undefined || right.post !== undefined) return undefined;
      const chain: ReadChain = { paths: [...left.paths, ...right.paths] };
      if (right.fallback !== undefined) chain.fallback = right.fallback;
      return chain;
    }
    default:
      return undefined;
  }
}

/** The slots of a program (in evaluation order) and each chain's reads. */
export interface ReadPlan {
  slots: Read[];
  chains: Read[][];
}

const SEP = '\u0000';

/**
 * Plans the reads of `chains`: every path prefix read by two or more paths becomes a slot, read
 * once per event (from the longest shorter slotted prefix); each path then starts from its longest
 * slotted prefix. Slots are eager: a prefix is read even when a guard later skips its users, which
 * is harmless (reads have no effects) and cheap.
 */
export function planReads(chains: readonly ReadChain[]): ReadPlan {
  const uses = new Map<string, number>();
  for (const chain of chains)
    for (const path of chain.paths)
      for (let n = 1; n <= path.length; n++) {
        const id = path.slice(0, n).join(SEP);
        uses.set(id, (uses.get(id) ?? 0) + 1);
      }
  // slotted prefixes, shortest first, so a slot's base slot exists before it
  const slotted = [...uses].filter(([, count]) => count >= 2).map(([id]) => id.split(SEP));
  slotted.sort((a, b) => a.length - b.length);
  const slotIndex = new Map<string, number>();
  const slots: Read[] = [];
  const start = (keys: readonly string[], maxLen: number): { base: number; rest: readonly string[] } => {
    for (let n = maxLen; n >= 1; n--) {
      const index = slotIndex.get(keys.slice(0, n).join(SEP));
      if (index !== undefined) return { base: index, rest: keys.slice(n) };
    }
    return { base: -1, rest: keys };
  };
  for (const keys of slotted) {
    const { base, rest } = start(keys, keys.length - 1);
    slotIndex.set(keys.join(SEP), slots.length);
    slots.push(toRead(base, rest));
  }
  const planned = chains.map((chain) =>
    chain.paths.map((path) => {
      const { base, rest } = start(path, path.length);
      return toRead(base, rest);
    }),
  );
  return { slots, chains: planned };
}
