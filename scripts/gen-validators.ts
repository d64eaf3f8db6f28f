// Build step (`npm run build` runs it after tsc): compiles every JSON Schema validator of the
// runtime with ajv once, here, and writes them as ajv standalone code into src/generated/ (see the
// README there), so no process compiles a schema or loads ajv's compiler at start-up.
//
//   node dist/scripts/gen-validators.js           regenerate every file whose content would change
//   node dist/scripts/gen-validators.js --build   regenerate those whose inputs hash changed (no
//                                                 compile otherwise), then copy them into dist/
//   node dist/scripts/gen-validators.js --check   write nothing; exit 1 when a file is out of date
//
// The schemas themselves stay where they are (src/actions/schemas.ts `validatorSources`,
// `metricsSource`; src/mapping/field-validation.ts `fieldsJsonSchema` over every action's fields,
// with FIELD_AJV_OPTIONS, which it also uses for a field table defined at run time); this file
// holds how the Track API bodies are compiled (ajv options, the inline length keywords).

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, _, Name, type Code, type KeywordCxt, type Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';

// ajv's standalone module is CommonJS with `exports.default`: under NodeNext the default import is module.exports
const standaloneCode = standalone.default;
import { ACTIONS } from '../src/actions/index.js';
import { codePoints } from '../src/actions/schema-fast.js';
import { metricsSource, validatorSources, type ValidatorGroup, type ValidatorSource } from '../src/actions/schemas.js';
import type { Profile } from '../src/actions/types.js';
import { FIELD_FORMATS } from '../src/mapping/date-like.js';
import { FIELD_ACCEPTS_AJV_OPTIONS, FIELD_AJV_OPTIONS, fieldJsonSchema, fieldsJsonSchema } from '../src/mapping/field-validation.js';

/** The repository root: the nearest folder above this file with a package.json (scripts/ and dist/scripts/). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above scripts/gen-validators');
    dir = up;
  }
  return dir;
}

/**
 * Each generated file is a CommonJS module exporting one factory, `(helpers) => validators`,
 * loaded with `require` on first use (schemas.ts, field-validation.ts): synchronous, and nothing
 * parsed before a command needs it. Our own functions the code calls come in as `helpers`
 * (`codePoints`, `formats`), so the file imports nothing of ours.
 */
const HELPERS = new Name('helpers');

/** Every instance: standalone source code, one statement a line (readable diffs). */
const CODE = { source: true, lines: true } as const;

/** An ajv logger that keeps errors and drops warnings (see trackOptions). */
const QUIET = { log: (): void => undefined, warn: (): void => undefined, error: (...args: unknown[]): void => console.error(...args) };

/**
 * The Track API body validators' options. Strict bodies also pass the UTF-8 byte checks
 * (limits.ts), which reject every string that is over a maxLength in UTF-16 units; so strict can
 * count units (fast) instead of code points. (ajv still honours `unicode: false` but warns that the
 * option is deprecated; with `strict: true` every other compile-time problem throws, so its warn
 * channel carries nothing else we need.) `validateSchema: false`: the schemas are checked against
 * the 2020-12 meta-schema in test/actions/schemas.test.ts.
 */
function trackOptions(profile: Profile): Options {
  return { strict: true, allowUnionTypes: true, unicode: profile !== 'strict', logger: QUIET, validateSchema: false, code: CODE };
}

/**
 * Replaces ajv's minLength/maxLength with inline code that answers from `text.length` when it
 * decides (n UTF-16 units hold between ⌈n/2⌉ and n code points) and counts code points only
 * otherwise; ajv's own keywords count every string in full (`ucs2length`). With `unicode` off the
 * length in units is the answer. Same verdicts (a property test compares them with the full schema).
 */
function withCheapLengths(ajv: Ajv2020, unicode: boolean): void {
  // each: the failure test on `text.length` alone, and the one that counts code points when it must
  lengthKeyword(ajv, 'maxLength', unicode, (data, max) => _`${data}.length > ${max}`, (data, max, count) => _`${data}.length > ${max} && (${data}.length > ${2 * max} || ${count}(${data}) > ${max})`);
  lengthKeyword(ajv, 'minLength', unicode, (data, min) => _`${data}.length < ${min}`, (data, min, count) => _`${data}.length < ${min} || (${data}.length < ${2 * min} && ${count}(${data}) < ${min})`);
}

/** Replaces one of ajv's string-length keywords with inline code (`units` without unicode, else `counted`). */
function lengthKeyword(
  ajv: Ajv2020,
  keyword: 'maxLength' | 'minLength',
  unicode: boolean,
  units: (data: Name, n: number) => Code,
  counted: (data: Name, n: number, count: Name) => Code,
): void {
  ajv.removeKeyword(keyword);
  ajv.addKeyword({
    keyword,
    type: 'string',
    schemaType: 'number',
    code(cxt: KeywordCxt) {
      const n = cxt.schema as number;
      const data = cxt.data;
      const count = () => cxt.gen.scopeValue('func', { ref: codePoints, code: _`${HELPERS}.codePoints` });
      cxt.fail(unicode ? counted(data, n, count()) : units(data, n));
    },
  });
}

/**
 * One generated file: `sources` compiled with `ajv` into a factory returning `{key: validate}`.
 * Sources with the same schema (a narrowing that changes nothing) share one validator.
 */
function groupCode(ajv: Ajv | Ajv2020, group: ValidatorGroup, from: string, inputs: string): string {
  const exportOf = new Map<string, string>();
  const refs: Record<string, string> = {};
  const keys: Array<[string, string]> = [];
  for (const { key, schema } of group.sources) {
    const text = JSON.stringify(schema);
    let exportName = exportOf.get(text);
    if (exportName === undefined) {
      exportName = key;
      exportOf.set(text, exportName);
      ajv.addSchema(schema, `${group.file}:${exportName}`);
      refs[exportName] = `${group.file}:${exportName}`;
    }
    keys.push([key, exportName]);
  }
  const code = standaloneCode(ajv, refs).replace(/^"use strict";\n?/, '');
  if (/require\("(?!ajv\/dist\/runtime\/)/.test(code)) throw new Error(`${group.file}: generated code requires a module outside ajv's runtime`);
  return `// GENERATED by scripts/gen-validators.ts (npm run build) from ${from}: do not edit.
// ajv standalone code (CommonJS); see README.md in this folder.
// inputs: ${inputs}
/* eslint-disable */
'use strict';

/** helpers: our functions the code calls (codePoints, formats). */
module.exports = function validators(${HELPERS}) {
const exports = {};
${code}
return {
${keys.map(([key, exp]) => `  ${JSON.stringify(key)}: exports[${JSON.stringify(exp)}],`).join('\n')}
};
};
`;
}

/** The hash of everything a file is generated from: its schemas, the options, ajv's version. */
function inputsHash(parts: unknown): string {
  const ajvVersion = (createRequire(import.meta.url)('ajv/package.json') as { version: string }).version;
  return createHash('sha256').update(JSON.stringify({ ajvVersion, parts })).digest('hex');
}

/** A generated file: its path, the hash of its inputs, and how to make its content. */
interface Target {
  file: string;
  inputs: string;
  content: () => string;
}

const TRACK_FAST_OPTIONS = { strictTypes: false, allErrors: false, messages: false } as const;
const METRICS_OPTIONS: Options = { strict: true, allErrors: true, allowUnionTypes: true, validateSchema: false, code: CODE };
const FIELD_OPTIONS: Options = { ...FIELD_AJV_OPTIONS, code: { ...CODE, formats: _`${HELPERS}.formats` } };

function target(group: ValidatorGroup, from: string, options: unknown, ajv: () => Ajv | Ajv2020): Target {
  const inputs = inputsHash({ sources: group.sources, options });
  return { file: `src/generated/${group.file}.cjs`, inputs, content: () => groupCode(ajv(), group, from, inputs) };
}

/** One profile's files: the all-errors validators, and one file per verdict-only group. */
function trackTargets(profile: Profile): Target[] {
  const sources = validatorSources(profile);
  const from = 'src/actions/schemas.ts (validatorSources)';
  const allAjv = () => {
    const ajv = new Ajv2020({ ...trackOptions(profile), allErrors: true });
    ajv.addSchema(sources.entitySchema);
    return ajv;
  };
  // The verdict-only schemas are rewritten (schema-fast.ts): a string keyword may stand without
  // `type: "string"` there, which is what strictTypes would refuse.
  const fastAjv = () => {
    const ajv = new Ajv2020({ ...trackOptions(profile), ...TRACK_FAST_OPTIONS });
    withCheapLengths(ajv, profile !== 'strict');
    return ajv;
  };
  return [
    target(sources.all, from, { ...trackOptions(profile), allErrors: true, entitySchema: sources.entitySchema }, allAjv),
    ...sources.fast.map((group) => target(group, from, { ...trackOptions(profile), ...TRACK_FAST_OPTIONS, cheapLengths: profile !== 'strict' }, fastAjv)),
  ];
}

/** fields.cjs: one validator per distinct action field schema, keyed by the schema's JSON text. */
function fieldTarget(): Target {
  const sources: ValidatorSource[] = [];
  for (const action of Object.values(ACTIONS)) {
    const schema = fieldsJsonSchema(action.fields);
    const key = JSON.stringify(schema);
    if (!sources.some((s) => s.key === key)) sources.push({ key, schema });
  }
  const ajv = () => {
    const instance = new Ajv(FIELD_OPTIONS);
    for (const [name, format] of Object.entries(FIELD_FORMATS)) instance.addFormat(name, format);
    return instance;
  };
  return target({ file: 'fields', sources }, "src/mapping/field-validation.ts (fieldsJsonSchema of every action's fields)", { ...FIELD_OPTIONS, formats: Object.keys(FIELD_FORMATS) }, ajv);
}

/** ajv's options for the per-field verdicts: the field schema as it is, no coercion, no messages. */
const FIELD_ACCEPTS_OPTIONS: Options = { ...FIELD_OPTIONS, ...FIELD_ACCEPTS_AJV_OPTIONS };

/**
 * field-accepts.cjs: one verdict-only validator per distinct field schema (`fieldJsonSchema`),
 * keyed by its JSON text: `FieldValidator.accepts`, generated instead of restating each type test.
 */
function fieldAcceptsTarget(): Target {
  const sources: ValidatorSource[] = [];
  for (const action of Object.values(ACTIONS)) {
    for (const field of Object.values(action.fields)) {
      const schema = fieldJsonSchema(field);
      const key = JSON.stringify(schema);
      if (!sources.some((s) => s.key === key)) sources.push({ key, schema });
    }
  }
  const ajv = () => {
    const instance = new Ajv(FIELD_ACCEPTS_OPTIONS);
    for (const [name, format] of Object.entries(FIELD_FORMATS)) instance.addFormat(name, format);
    return instance;
  };
  return target({ file: 'field-accepts', sources }, "src/mapping/field-validation.ts (fieldJsonSchema of every action's field)", { ...FIELD_ACCEPTS_OPTIONS, formats: Object.keys(FIELD_FORMATS) }, ajv);
}

/**
 * index.cjs: every other file by name, each behind a literal `require`, for bundlers (the
 * playground's lazy-require.browser.ts); Node loads the files directly.
 */
function indexTarget(files: readonly Target[]): Target {
  const names = files.map((t) => path.basename(t.file, '.cjs'));
  const inputs = inputsHash({ names });
  const content = () => `// GENERATED by scripts/gen-validators.ts (npm run build): do not edit.
// Every generated validator file by name, each required on first use (a bundler follows these).
// inputs: ${inputs}
/* eslint-disable */
'use strict';

module.exports = {
${names.map((n) => `  ${JSON.stringify(n)}: () => require(${JSON.stringify(`./${n}.cjs`)}),`).join('\n')}
};
`;
  return { file: 'src/generated/index.cjs', inputs, content };
}

function targets(): Target[] {
  const files = [...trackTargets('strict'), ...trackTargets('segment'), target(metricsSource(), 'src/actions/schemas.ts (metricsSource)', METRICS_OPTIONS, () => new Ajv2020(METRICS_OPTIONS)), fieldTarget(), fieldAcceptsTarget()];
  return [...files, indexTarget(files)];
}

/** Every generated file: path relative to the repository root → content. */
export function generate(): Map<string, string> {
  return new Map(targets().map((t) => [t.file, t.content()]));
}

/** The .cjs files in src/generated/ that no target writes (left by a renamed or removed group). */
function strays(root: string, files: ReadonlySet<string>): string[] {
  const dir = path.join(root, 'src/generated');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cjs'))
    .map((name) => `src/generated/${name}`)
    .filter((file) => !files.has(file));
}

/**
 * The generated files that are out of date: with `quick`, those whose recorded inputs hash differs
 * (no compiling; what the build uses), else those whose content differs from a fresh generation.
 * `stray`: generated files that should no longer exist.
 */
export function outdated(root = repoRoot(), quick = false): { stale: Array<[file: string, content: () => string]>; stray: string[] } {
  const stale: Array<[string, () => string]> = [];
  const all = targets();
  for (const t of all) {
    const full = path.join(root, t.file);
    const current = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    if (quick ? current?.includes(`\n// inputs: ${t.inputs}\n`) !== true : current !== t.content()) stale.push([t.file, t.content]);
  }
  return { stale, stray: strays(root, new Set(all.map((t) => t.file))) };
}

function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  try {
    return realpathSync(invoked) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const root = repoRoot();
  const mode = process.argv[2];
  if (mode === '--check') {
    const { stale, stray } = outdated(root);
    for (const [file] of stale) console.error(`${file} is out of date: run \`npm run build\``);
    for (const file of stray) console.error(`${file} is no longer generated: run \`npm run build\``);
    process.exitCode = stale.length + stray.length > 0 ? 1 : 0;
  } else {
    const { stale, stray } = outdated(root, mode === '--build');
    for (const [file, content] of stale) {
      writeFileSync(path.join(root, file), content());
      console.log(`gen-validators: wrote ${file}`);
    }
    for (const file of stray) {
      rmSync(path.join(root, file));
      console.log(`gen-validators: removed ${file}`);
    }
    if (mode === '--build') {
      // tsc does not copy .cjs files: dist/ gets them from here (and loses the strays)
      const from = path.join(root, 'src/generated');
      const to = path.join(root, 'dist/src/generated');
      rmSync(to, { recursive: true, force: true });
      mkdirSync(to, { recursive: true });
      for (const name of readdirSync(from)) if (name.endsWith('.cjs')) copyFileSync(path.join(from, name), path.join(to, name));
    }
  }
}
