// The built-in subscription sets (customerio.md §0.3): Quick Setup's seven presets with the product
// page's triggers verbatim, and "all actions" (every action with its default trigger).

import { actionKeys, ACTIONS } from './index.js';
import { TRACK_EVENT_TRIGGER } from './triggers.js';
import type { ActionKey } from './types.js';

/** At most this many subscriptions per destination (§0.4). */
export const MAX_SUBSCRIPTIONS = 50;

/** One built-in subscription: a title, the action, and its FQL trigger. */
export interface Preset {
  readonly title: string;
  readonly action: ActionKey;
  readonly trigger: string;
}

/** Quick Setup (§0.3), in the product page's order. */
export const QUICK_PRESETS: readonly Preset[] = Object.freeze(
  [
    { title: 'Create or Update Object', action: 'createUpdateObject', trigger: 'type = "group"' },
    { title: 'Create or Update Person', action: 'createUpdatePerson', trigger: 'type = "identify"' },
    { title: 'Track Event', action: 'trackEvent', trigger: TRACK_EVENT_TRIGGER },
    { title: 'Report Delivery Event', action: 'reportDeliveryEvent', trigger: 'event = "Report Delivery Event"' },
    { title: 'Track Page View', action: 'trackPageView', trigger: 'type = "page"' },
    {
      title: 'Create or Update Device',
      action: 'createUpdateDevice',
      trigger: 'event = "Application Installed" or event = "Application Opened"',
    },
    { title: 'Track Screen View', action: 'trackScreenView', trigger: 'type = "screen"' },
  ].map((p) => Object.freeze(p as Preset)),
);

/** "All actions": each of the 15 actions with its default trigger and title. */
export const ALL_ACTION_PRESETS: readonly Preset[] = Object.freeze(
  actionKeys.map((key) => Object.freeze({ title: ACTIONS[key].title, action: key, trigger: ACTIONS[key].defaultTrigger })),
);

/** The preset list for a destination's `presets` option. */
export function presetsFor(name: 'quick' | 'all' | 'none'): readonly Preset[] {
  if (name === 'quick') return QUICK_PRESETS;
  if (name === 'all') return ALL_ACTION_PRESETS;
  return [];
}

/**
 * The `.map` source of a preset: header lines only, so every field keeps the action's default
 * mapping (mapping.md §1) and only the trigger differs from the default `.map` file.
 */
export function presetSource(preset: Preset): string {
  return `target ${preset.action}\ntitle ${JSON.stringify(preset.title)}\nwhen ${preset.trigger}\n`;
}
