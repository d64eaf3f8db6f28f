// The registry of the Customer.io actions. An action is one folder, the only statement of its facts:
// fields.ts (title, description, field schemas), default.map (the default mapping and, in its `when`
// header, the default trigger), build.ts (the body builder and its layout facts: `batchable`,
// `checksDepth`). Adding an action: the folder, then one line in FOLDERS below (and its imports).

import { hasErrors } from '../diagnostics/diagnostic.js';
import type { MapFile } from '../parser/ast.js';
import { parseMap } from '../parser/map.js';
import { DEFAULT_MAPS } from './default-maps.generated.js';
import { MAX_VALUE_DEPTH, TooDeepError, tooDeepField } from './limits.js';
import type { ActionDefinition, ActionKey, BuildResult, Builder, FieldSchema } from './types.js';

import * as createUpdatePersonFields from './createUpdatePerson/fields.js';
import * as createUpdatePersonBody from './createUpdatePerson/build.js';
import * as trackEventFields from './trackEvent/fields.js';
import * as trackEventBody from './trackEvent/build.js';
import * as trackPageViewFields from './trackPageView/fields.js';
import * as trackPageViewBody from './trackPageView/build.js';
import * as trackScreenViewFields from './trackScreenView/fields.js';
import * as trackScreenViewBody from './trackScreenView/build.js';
import * as createUpdateDeviceFields from './createUpdateDevice/fields.js';
import * as createUpdateDeviceBody from './createUpdateDevice/build.js';
import * as deleteDeviceFields from './deleteDevice/fields.js';
import * as deleteDeviceBody from './deleteDevice/build.js';
import * as createUpdateObjectFields from './createUpdateObject/fields.js';
import * as createUpdateObjectBody from './createUpdateObject/build.js';
import * as deleteObjectFields from './deleteObject/fields.js';
import * as deleteObjectBody from './deleteObject/build.js';
import * as deleteRelationshipFields from './deleteRelationship/fields.js';
import * as deleteRelationshipBody from './deleteRelationship/build.js';
import * as deletePersonFields from './deletePerson/fields.js';
import * as deletePersonBody from './deletePerson/build.js';
import * as suppressPersonFields from './suppressPerson/fields.js';
import * as suppressPersonBody from './suppressPerson/build.js';
import * as unsuppressPersonFields from './unsuppressPerson/fields.js';
import * as unsuppressPersonBody from './unsuppressPerson/build.js';
import * as mergePeopleFields from './mergePeople/fields.js';
import * as mergePeopleBody from './mergePeople/build.js';
import * as reportDeliveryEventFields from './reportDeliveryEvent/fields.js';
import * as reportDeliveryEventBody from './reportDeliveryEvent/build.js';
import * as reportContentEventFields from './reportContentEvent/fields.js';
import * as reportContentEventBody from './reportContentEvent/build.js';

/** What fields.ts of an action folder exports. */
export interface ActionFieldsModule {
  readonly title: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, FieldSchema>>;
}

/** What build.ts of an action folder exports: the builder and the facts of its body layout. */
export interface ActionBodyModule {
  readonly build: Builder;
  /** Whether the action can be batched (`/api/v2/batch`); default true. */
  readonly batchable?: boolean;
  /** The builder checks value depth itself (the v2 pipeline, while converting timestamps); default false: checked before it runs. */
  readonly checksDepth?: boolean;
}

/** One action folder's modules: fields.ts and build.ts (its default.map text comes from DEFAULT_MAPS). */
export type ActionFolder = readonly [ActionFieldsModule, ActionBodyModule];

/** The registry: one line per action folder, in the order of customerio.md §0.1. */
const FOLDERS: { readonly [K in ActionKey]: ActionFolder } = {
  createUpdatePerson: [createUpdatePersonFields, createUpdatePersonBody],
  trackEvent: [trackEventFields, trackEventBody],
  trackPageView: [trackPageViewFields, trackPageViewBody],
  trackScreenView: [trackScreenViewFields, trackScreenViewBody],
  createUpdateDevice: [createUpdateDeviceFields, createUpdateDeviceBody],
  deleteDevice: [deleteDeviceFields, deleteDeviceBody],
  createUpdateObject: [createUpdateObjectFields, createUpdateObjectBody],
  deleteObject: [deleteObjectFields, deleteObjectBody],
  deleteRelationship: [deleteRelationshipFields, deleteRelationshipBody],
  deletePerson: [deletePersonFields, deletePersonBody],
  suppressPerson: [suppressPersonFields, suppressPersonBody],
  unsuppressPerson: [unsuppressPersonFields, unsuppressPersonBody],
  mergePeople: [mergePeopleFields, mergePeopleBody],
  reportDeliveryEvent: [reportDeliveryEventFields, reportDeliveryEventBody],
  reportContentEvent: [reportContentEventFields, reportContentEventBody],
};

/** A default mapping parsed once (its `when` header is the default trigger). Throws on a broken shipped file (a bug). */
function parseDefault(key: string, text: string): MapFile {
  const parsed = parseMap(text);
  if (!parsed.ast || hasErrors(parsed.diagnostics)) {
    const why = parsed.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`).join('; ');
    throw new Error(`default.map of ${key} does not parse: ${why}`);
  }
  if (parsed.ast.target?.name !== key) throw new Error(`default.map of ${key} must say \`target ${key}\``);
  if (!parsed.ast.when) throw new Error(`default.map of ${key} must have a \`when\` header (the default trigger)`);
  return parsed.ast;
}

/**
 * The default trigger: the default.map's `when` text with each line break (and the blanks around it)
 * folded to one space, so a trigger written over several lines reads as the one-line FQL it is.
 */
function foldLines(source: string): string {
  return source.replace(/[ \t]*\r?\n[ \t]*/g, ' ');
}

/** Parsed default mappings, by action definition (filled on first use: importing the registry parses nothing). */
const parsedDefaults = new WeakMap<ActionDefinition<string>, MapFile>();

/** The parsed default.map of an action (cached; the mapping layer compiles its statements). */
export function defaultMapFile(action: ActionDefinition<string>): MapFile {
  let file = parsedDefaults.get(action);
  if (!file) {
    file = parseDefault(action.key, action.defaultMapping);
    parsedDefaults.set(action, file);
  }
  return file;
}

/**
 * Turns one action folder into its definition: the only place an action's facts are put together.
 * `defaultMapping` is the folder's default.map text.
 */
export function defineAction<K extends string>(key: K, [mod, body]: ActionFolder, defaultMapping: string): ActionDefinition<K> {
  let trigger: string | undefined;
  const action: ActionDefinition<K> = Object.freeze({
    key,
    title: mod.title,
    description: mod.description,
    fields: mod.fields,
    get defaultTrigger(): string {
      return (trigger ??= foldLines((defaultMapFile(action).when as NonNullable<MapFile['when']>).source));
    },
    defaultMapping,
    batchable: body.batchable !== false,
    build: guarded(key, body.build, body.checksDepth === true),
  });
  return action;
}

/**
 * Wraps a builder so that it never throws: builders are total by design, but events are hostile
 * (cycles, getters, huge values), and one event must never take the destination down.
 */
function guarded(key: string, build: Builder, checksDepth: boolean): Builder {
  const tooDeep = (field: string): BuildResult => ({ ok: false, errors: [{ field, message: `${key}: \`${field}\` is nested more than ${MAX_VALUE_DEPTH} levels deep` }] });
  return (fields, ctx) => {
    try {
      // Builders that pass `checksDepth` to the v2 pipeline check depth there, in the walk that
      // converts timestamps (TooDeepError below); the others are checked here, before they start.
      if (!checksDepth) {
        const deep = tooDeepField(fields);
        if (deep !== undefined) return tooDeep(deep);
      }
      return build(fields, ctx);
    } catch (error) {
      if (error instanceof TooDeepError) return tooDeep(error.field);
      const reason = error instanceof Error ? error.name : 'error';
      return { ok: false, errors: [{ message: `${key}: could not build the request (${reason})` }] };
    }
  };
}

/** Definitions for a set of action folders (key → [fields, body]), with their default.map texts. */
export function defineActions<K extends string>(folders: { readonly [P in K]: ActionFolder }, maps: { readonly [P in K]: string }): Readonly<Record<K, ActionDefinition<K>>> {
  const out = {} as Record<K, ActionDefinition<K>>;
  for (const key of Object.keys(folders) as K[]) {
    if (!Object.hasOwn(maps, key)) throw new Error(`action ${key} has no default.map`);
    out[key] = defineAction(key, folders[key], maps[key]);
  }
  return Object.freeze(out);
}

/** Every action, keyed by its `.map` target name. */
export const ACTIONS: Readonly<Record<ActionKey, ActionDefinition>> = defineActions(FOLDERS, DEFAULT_MAPS);

/** The action keys in a stable order (the order of customerio.md §0.1). */
export const actionKeys: readonly ActionKey[] = Object.freeze(Object.keys(ACTIONS) as ActionKey[]);

/** Looks up an action by key; `undefined` for unknown keys (own properties only, so `__proto__` is unknown). */
export function getAction(key: string): ActionDefinition | undefined {
  return Object.hasOwn(ACTIONS, key) ? ACTIONS[key as ActionKey] : undefined;
}

/** Whether `key` names one of the actions. */
export function isActionKey(key: string): key is ActionKey {
  return Object.hasOwn(ACTIONS, key);
}
