// Strategy `scan` (README.md): a trigger's compiled predicate run on the event as it is. What every
// other strategy falls back to: triggers with no type/event requirement, and events the fast paths
// cannot read (non-JSON input: proxies, throwing getters).

import type { Closure } from '../types.js';
import { isRecord } from '../value.js';

/** True only for a plain-object event on which the predicate yields `true`; a throwing read is no match. */
export function scan(predicate: Closure, event: unknown): boolean {
  try {
    return isRecord(event) && predicate(event, undefined) === true;
  } catch {
    return false;
  }
}

/** `scan` as a matcher of its own: the same test with the predicate bound in, for `Trigger.matches`. */
export function scanner(predicate: Closure): (event: unknown) => boolean {
  return (event) => {
    try {
      return isRecord(event) && predicate(event, undefined) === true;
    } catch {
      return false;
    }
  };
}
