// The registry of the 15 Customer.io actions: fields, default trigger and .map, body builder.
// The mapping layer reads fields/defaultMapping from here; the destination calls build().

import type { ActionDefinition, ActionKey, BuildContext, BuildResult, FieldSchema } from './types.js';
import { DEFAULT_TRIGGERS } from './triggers.js';
import { MAX_VALUE_DEPTH, TooDeepError, tooDeepField } from './limits.js';

import * as createUpdatePersonFields from './createUpdatePerson/fields.js';
import { defaultMap as createUpdatePersonMap } from './createUpdatePerson/default-map.js';
import { build as createUpdatePersonBuild } from './createUpdatePerson/build.js';
import * as trackEventFields from './trackEvent/fields.js';
import { defaultMap as trackEventMap } from './trackEvent/default-map.js';
import { build as trackEventBuild } from './trackEvent/build.js';
import * as trackPageViewFields from './trackPageView/fields.js';
import { defaultMap as trackPageViewMap } from './trackPageView/default-map.js';
import { build as trackPageViewBuild } from './trackPageView/build.js';
import * as trackScreenViewFields from './trackScreenView/fields.js';
import { defaultMap as trackScreenViewMap } from './trackScreenView/default-map.js';
import { build as trackScreenViewBuild } from './trackScreenView/build.js';
import * as createUpdateDeviceFields from './createUpdateDevice/fields.js';
import { defaultMap as createUpdateDeviceMap } from './createUpdateDevice/default-map.js';
import { build as createUpdateDeviceBuild } from './createUpdateDevice/build.js';
import * as deleteDeviceFields from './deleteDevice/fields.js';
import { defaultMap as deleteDeviceMap } from './deleteDevice/default-map.js';
import { build as deleteDeviceBuild } from './deleteDevice/build.js';
import * as createUpdateObjectFields from './createUpdateObject/fields.js';
import { defaultMap as createUpdateObjectMap } from './createUpdateObject/default-map.js';
import { build as createUpdateObjectBuild } from './createUpdateObject/build.js';
import * as deleteObjectFields from './deleteObject/fields.js';
import { defaultMap as deleteObjectMap } from './deleteObject/default-map.js';
import { build as deleteObjectBuild } from './deleteObject/build.js';
import * as deleteRelationshipFields from './deleteRelationship/fields.js';
import { defaultMap as deleteRelationshipMap } from './deleteRelationship/default-map.js';
import { build as deleteRelationshipBuild } from './deleteRelationship/build.js';
import * as deletePersonFields from './deletePerson/fields.js';
import { defaultMap as deletePersonMap } from './deletePerson/default-map.js';
import { build as deletePersonBuild } from './deletePerson/build.js';
import * as suppressPersonFields from './suppressPerson/fields.js';
import { defaultMap as suppressPersonMap } from './suppressPerson/default-map.js';
import { build as suppressPersonBuild } from './suppressPerson/build.js';
import * as unsuppressPersonFields from './unsuppressPerson/fields.js';
import { defaultMap as unsuppressPersonMap } from './unsuppressPerson/default-map.js';
import { build as unsuppressPersonBuild } from './unsuppressPerson/build.js';
import * as mergePeopleFields from './mergePeople/fields.js';
import { defaultMap as mergePeopleMap } from './mergePeople/default-map.js';
import { build as mergePeopleBuild } from './mergePeople/build.js';
import * as reportDeliveryEventFields from './reportDeliveryEvent/fields.js';
import { defaultMap as reportDeliveryEventMap } from './reportDeliveryEvent/default-map.js';
import { build as reportDeliveryEventBuild } from './reportDeliveryEvent/build.js';
import * as reportContentEventFields from './reportContentEvent/fields.js';
import { defaultMap as reportContentEventMap } from './reportContentEvent/default-map.js';
import { build as reportContentEventBuild } from './reportContentEvent/build.js';

type Builder = (fields: Readonly<Record<string, unknown>>, ctx: BuildContext) => BuildResult;
interface FieldsModule {
  title: string;
  description: string;
  fields: Readonly<Record<string, FieldSchema>>;
}

function define(
  key: ActionKey,
  mod: FieldsModule,
  defaultMapping: string,
  build: Builder,
  batchable = true,
  checksDepth = false,
): ActionDefinition {
  return Object.freeze({
    key,
    title: mod.title,
    description: mod.description,
    fields: mod.fields,
    defaultTrigger: DEFAULT_TRIGGERS[key],
    defaultMapping,
    batchable,
    build: guarded(key, build, checksDepth),
  });
}

/**
 * Wraps a builder so that it never throws: builders are total by design, but events are hostile
 * (cycles, getters, huge values), and one event must never take the destination down.
 */
function guarded(key: ActionKey, build: Builder, checksDepth: boolean): Builder {
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

/** Every action, keyed by its `.map` target name. */
export const ACTIONS: Readonly<Record<ActionKey, ActionDefinition>> = Object.freeze({
  createUpdatePerson: define('createUpdatePerson', createUpdatePersonFields, createUpdatePersonMap, createUpdatePersonBuild, true, true),
  trackEvent: define('trackEvent', trackEventFields, trackEventMap, trackEventBuild, true, true),
  trackPageView: define('trackPageView', trackPageViewFields, trackPageViewMap, trackPageViewBuild, true, true),
  trackScreenView: define('trackScreenView', trackScreenViewFields, trackScreenViewMap, trackScreenViewBuild, true, true),
  createUpdateDevice: define('createUpdateDevice', createUpdateDeviceFields, createUpdateDeviceMap, createUpdateDeviceBuild),
  deleteDevice: define('deleteDevice', deleteDeviceFields, deleteDeviceMap, deleteDeviceBuild),
  createUpdateObject: define('createUpdateObject', createUpdateObjectFields, createUpdateObjectMap, createUpdateObjectBuild),
  deleteObject: define('deleteObject', deleteObjectFields, deleteObjectMap, deleteObjectBuild),
  deleteRelationship: define('deleteRelationship', deleteRelationshipFields, deleteRelationshipMap, deleteRelationshipBuild),
  deletePerson: define('deletePerson', deletePersonFields, deletePersonMap, deletePersonBuild),
  suppressPerson: define('suppressPerson', suppressPersonFields, suppressPersonMap, suppressPersonBuild),
  unsuppressPerson: define('unsuppressPerson', unsuppressPersonFields, unsuppressPersonMap, unsuppressPersonBuild),
  mergePeople: define('mergePeople', mergePeopleFields, mergePeopleMap, mergePeopleBuild),
  // Customer.io's /api/v1/metrics has no batch form (§3.15).
  reportDeliveryEvent: define(
    'reportDeliveryEvent',
    reportDeliveryEventFields,
    reportDeliveryEventMap,
    reportDeliveryEventBuild,
    false,
  ),
  reportContentEvent: define('reportContentEvent', reportContentEventFields, reportContentEventMap, reportContentEventBuild),
});

/** The action keys in a stable order (the order of customerio.md §0.1). */
export const actionKeys: readonly ActionKey[] = Object.freeze(Object.keys(ACTIONS) as ActionKey[]);

/** Looks up an action by key; `undefined` for unknown keys (own properties only, so `__proto__` is unknown). */
export function getAction(key: string): ActionDefinition | undefined {
  return Object.hasOwn(ACTIONS, key) ? ACTIONS[key as ActionKey] : undefined;
}

/** Whether `key` names one of the 15 actions. */
export function isActionKey(key: string): key is ActionKey {
  return Object.hasOwn(ACTIONS, key);
}
