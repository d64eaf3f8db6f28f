// The built-in subscription sets (customerio.md §0.3): Quick Setup's seven presets with the product
// page's triggers verbatim, and "all actions" (every action with its default trigger).

import { actionKeys, ACTIONS } from './index.js';
import type { ActionKey } from './types.js';

/** At most this many subscriptions per destination (§0.4). */
export const MAX_SUBSCRIPTIONS = 50;

/** One built-in subscription: a title, the action, and its FQL trigger. */
export interface Preset {
  readonly title: string;
  readonly action: ActionKey;
  readonly trigger: string;
}

/**
 * A preset of `action` with the action's title; its trigger is the action's default trigger (read
 * from the action's default.map on first use) unless the preset has its own.
 */
function preset(action: ActionKey, trigger?: string): Preset {
  return Object.freeze({
    title: ACTIONS[action].title,
    action,
    get trigger(): string {
      return trigger ?? ACTIONS[action].defaultTrigger;
    },
  });
}

/**
 * Quick Setup (§0.3), in the product page's order. The product page's triggers are the actions'
 * default triggers (§0.3 defines the defaults as the presets), except Create or Update Device's.
 */
export const QUICK_PRESETS: readonly Preset[] = Object.freeze([
  preset('createUpdateObject'),
  preset('createUpdatePerson'),
  preset('trackEvent'),
  preset('reportDeliveryEvent'),
  preset('trackPageView'),
  preset('createUpdateDevice', 'event = "Application Installed" or event = "Application Opened"'),
  preset('trackScreenView'),
]);

/** "All actions": each action with its default trigger and title. */
export const ALL_ACTION_PRESETS: readonly Preset[] = Object.freeze(actionKeys.map((key) => preset(key)));

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
