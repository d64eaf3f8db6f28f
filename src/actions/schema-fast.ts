// Verdict-only forms of the entity schema for the per-body ajv pass (scripts/gen-validators.ts
// compiles them at build time): every `$ref` inlined (one generated function, no calls),
// `identifiers` narrowed to the one branch its keys allow, and cheaper but equivalent keywords
// (the generator's inline minLength/maxLength calls `codePoints`). Same verdicts as the documented
// schema. No ajv here: the runtime imports this module.

type Json = Record<string, unknown>;

/** Code points of a string (ajv's `ucs2length`: a surrogate pair counts once). */
export function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    count++;
  }
  return count;
}

function isJson(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const SUBSCHEMA = new Set(['items', 'additionalProperties', 'propertyNames', 'if', 'then', 'else', 'not', 'contains']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
/** Keywords that only constrain strings (ignored for other types). */
const STRING_ONLY = new Set(['minLength', 'maxLength', 'pattern', 'type']);

/**
 * `{if: {type: "string"}, then: {type: "string", maxLength: n}}` says exactly what `{maxLength: n}`
 * says (string keywords ignore other types), without the `if` pass ajv runs on every value.
 */
function simplifyStringIf(node: Json): void {
  const { if: cond, then, else: otherwise } = node;
  if (otherwise !== undefined || !isJson(cond) || !isJson(then)) return;
  if (Object.keys(cond).length !== 1 || cond.type !== 'string' || then.type !== 'string') return;
  if (!Object.keys(then).every((k) => STRING_ONLY.has(k) && (k === 'type' || !Object.hasOwn(node, k)))) return;
  delete node.if;
  delete node.then;
  for (const [k, v] of Object.entries(then)) if (k !== 'type') node[k] = v;
}

/** The `$defs` name a local `$ref` (`#/$defs/X`) names; throws for any other reference. */
export function localDef(ref: unknown, defs: Readonly<Record<string, unknown>>): string {
  const match = typeof ref === 'string' ? /^#\/\$defs\/([A-Za-z_]+)$/.exec(ref) : null;
  if (!match || !Object.hasOwn(defs, match[1]!)) throw new Error(`cannot resolve $ref ${String(ref)}: only local #/$defs/ references`);
  return match[1]!;
}

/**
 * The schema with every local `$ref` (`#/$defs/X`) replaced by the definition it names (our
 * schemas are not recursive), `$comment`s dropped and string-only `if`s simplified.
 */
export function inlineRefs(node: unknown, defs: Readonly<Record<string, unknown>>): unknown {
  if (!isJson(node)) return node;
  const out: Json = {};
  let ref: unknown;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$comment') continue;
    if (key === '$ref') ref = value;
    else if (key === 'properties' && isJson(value)) {
      const props: Json = {};
      for (const [name, sub] of Object.entries(value)) props[name] = inlineRefs(sub, defs);
      out.properties = props;
    } else if (SUBSCHEMA.has(key)) out[key] = inlineRefs(value, defs);
    else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map((sub: unknown) => inlineRefs(sub, defs));
    else out[key] = value;
  }
  simplifyStringIf(out);
  if (ref === undefined) return out;
  const target = inlineRefs(defs[localDef(ref, defs)], defs);
  if (Object.keys(out).length === 0) return target;
  out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), target];
  return out;
}

/**
 * The schema of an object value whose enumerable keys (own and inherited, as ajv's for-in sees
 * them) are exactly `keys`: a branch with `additionalProperties: false` that lacks one of them can
 * never pass, so it is dropped from `anyOf`/`oneOf`; a combinator left with one branch becomes that
 * branch, with none the schema is `false`. Equivalent for such values, and nothing else.
 */
export function narrowForKeys(node: unknown, keys: readonly string[]): unknown {
  if (!isJson(node)) return node;
  if (node.additionalProperties === false) {
    const props = isJson(node.properties) ? node.properties : {};
    if (keys.some((k) => !Object.hasOwn(props, k))) return false;
  }
  let out: Json = { ...node };
  if (Array.isArray(out.allOf)) {
    const parts = out.allOf.map((sub: unknown) => narrowForKeys(sub, keys));
    if (parts.includes(false)) return false;
    out.allOf = parts;
  }
  for (const combinator of ['anyOf', 'oneOf']) {
    const list = out[combinator];
    if (!Array.isArray(list)) continue;
    const branches = list.map((sub: unknown) => narrowForKeys(sub, keys)).filter((sub) => sub !== false);
    if (branches.length === 0) return false;
    if (branches.length === 1) {
      const rest: Json = { ...out };
      delete rest[combinator];
      out = { ...rest, allOf: [...((rest.allOf as unknown[] | undefined) ?? []), branches[0]] };
    } else out[combinator] = branches;
  }
  return out;
}

/** Identifier key sets a body can carry, by kind name (the builders make exactly these). */
export const IDENTIFIER_KINDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  id: ['id'],
  email: ['email'],
  cio_id: ['cio_id'],
  phone: ['phone'],
  anonymous_id: ['anonymous_id'],
  cio_object_id: ['cio_object_id'],
  object: ['object_id', 'object_type_id'],
});

/** IDENTIFIER_KINDS by key set: one key → kind; two keys → second key → kind (either order). */
const KIND_BY_KEY = new Map<string, string>();
const KIND_BY_PAIR = new Map<string, Map<string, string>>();
for (const [kind, keys] of Object.entries(IDENTIFIER_KINDS)) {
  if (keys.length === 1) KIND_BY_KEY.set(keys[0]!, kind);
  else if (keys.length === 2) {
    for (const [a, b] of [[keys[0]!, keys[1]!], [keys[1]!, keys[0]!]] as const) {
      let seconds = KIND_BY_PAIR.get(a);
      if (!seconds) KIND_BY_PAIR.set(a, (seconds = new Map()));
      seconds.set(b, kind);
    }
  } else throw new Error(`identifier kind ${kind}: one or two keys`);
}

/**
 * The kind of an identifiers value (a key of IDENTIFIER_KINDS) from its enumerable keys, exactly
 * as ajv's for-in sees them; `undefined` for anything else (the unnarrowed validator then runs).
 */
export function identifierKind(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  let first: string | undefined;
  let second: string | undefined;
  let n = 0;
  for (const key in value) {
    if (n === 0) first = key;
    else if (n === 1) second = key;
    else return undefined;
    n++;
  }
  if (n === 1) return KIND_BY_KEY.get(first!);
  return n === 2 ? KIND_BY_PAIR.get(first!)?.get(second!) : undefined;
}
