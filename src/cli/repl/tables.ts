// The reference tables the REPL prints (`:functions`, `:fields`) and the playground shows, built
// from the library's own tables (MAPPING_FUNCTIONS, ACTIONS). No Node imports: the browser bundle uses it.

import { ACTIONS, MAPPING_FUNCTIONS, type ActionDefinition, type FieldSchema } from '../../index.js';

export type FunctionRow = (typeof MAPPING_FUNCTIONS)[number];

/** The function table (mapping functions, FQL's included), one row per name, by name. */
export function functionTable(): readonly FunctionRow[] {
  return [...new Map(MAPPING_FUNCTIONS.map((f) => [f.name, f])).values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** `name(param: type, …) → result`, with `…` for variadic and `?` for optional parameters. */
export function signature(f: FunctionRow): string {
  return `${f.name}(${f.params.map((p) => `${p.variadic ? '…' : ''}${p.name}${p.optional ? '?' : ''}: ${p.type}`).join(', ')}) → ${f.result}`;
}

/** Every action by key, as the `.map` header names them. */
export function actionTable(): Readonly<Record<string, ActionDefinition>> {
  return ACTIONS;
}

/** An action by its key, or case-insensitively; undefined when there is none. */
export function findAction(name: string): ActionDefinition | undefined {
  const actions = actionTable();
  const keys = Object.keys(actions);
  const key = keys.find((k) => k === name) ?? keys.find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : actions[key];
}

/** The fields a `.map` file for `action` can assign, in the action's order. */
export function fieldRows(action: ActionDefinition): readonly FieldSchema[] {
  return Object.values(action.fields);
}

/** A field's flags as the REPL prints them: `string, required, default true`. */
export function fieldFlags(f: FieldSchema): string {
  return [f.type, f.required ? 'required' : '', f.default !== undefined ? `default ${JSON.stringify(f.default)}` : ''].filter(Boolean).join(', ');
}
