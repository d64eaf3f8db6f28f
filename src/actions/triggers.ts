// The FQL triggers of the 15 actions (customerio.md §0.3): each action's default trigger, used when a
// subscription names the action without `when`, and the seven Quick Setup preset triggers, verbatim.

import type { ActionKey } from './types.js';

/** Track Event's preset trigger, verbatim from the product page (customerio.md §0.3). */
export const TRACK_EVENT_TRIGGER =
  'type = "track" and event != "Application Installed" and event != "Application Opened" and event != "Application Uninstalled" and event != "Relationship Deleted" and event != "User Deleted" and event != "User Suppressed" and event != "User Unsuppressed" and event != "Object Deleted" and event != "Report Delivery Event"';

/** Default trigger per action (§0.3: the listed ones, "the others as their preset"). */
export const DEFAULT_TRIGGERS: Readonly<Record<ActionKey, string>> = Object.freeze({
  createUpdatePerson: 'type = "identify"',
  trackEvent: TRACK_EVENT_TRIGGER,
  trackPageView: 'type = "page"',
  trackScreenView: 'type = "screen"',
  createUpdateDevice: 'type = "track" and event = "Application Installed"',
  deleteDevice: 'event = "Application Uninstalled"',
  createUpdateObject: 'type = "group"',
  deleteObject: 'event = "Object Deleted"',
  deleteRelationship: 'event = "Relationship Deleted"',
  deletePerson: 'event = "User Deleted"',
  suppressPerson: 'event = "User Suppressed"',
  unsuppressPerson: 'event = "User Unsuppressed"',
  mergePeople: 'type = "alias"',
  reportDeliveryEvent: 'event = "Report Delivery Event"',
  reportContentEvent: 'event = "Report Content Event"',
});
