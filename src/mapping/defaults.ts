// The actions' default mappings (their default.map, parsed once by the registry), compiled once per action
// and cached: a subscription keeps every default statement whose field it does not assign.

import { defaultMapFile } from '../actions/index.js';
import type { ActionDefinition, ActionKey } from '../actions/types.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AssignStmt, LetStmt, MapFile } from '../parser/ast.js';
import type { Step } from './program.js';
import { compileStatements, mappingContext } from './statements.js';

/** A compiled default mapping: statements (for printing), steps (same order), assigned top-level fields. */
export interface DefaultProgram {
  readonly file: MapFile;
  readonly statements: ReadonlyArray<AssignStmt | LetStmt>;
  readonly steps: readonly Step[];
  readonly fields: ReadonlySet<string>;
}

const cache = new Map<ActionKey, DefaultProgram>();

/** The default mapping of `action`, compiled on first use. Throws if the shipped text does not compile (a bug). */
export function defaultProgram(action: ActionDefinition): DefaultProgram {
  const hit = cache.get(action.key);
  if (hit) return hit;
  const file = defaultMapFile(action);
  const diagnostics: Diagnostic[] = [];
  const steps = compileStatements(file.statements, mappingContext(diagnostics), false);
  if (hasErrors(diagnostics)) {
    throw new Error(`default mapping of ${action.key} does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  }
  const fields = new Set(file.statements.filter((s): s is AssignStmt => s.kind === 'assign').map((s) => s.field[0] as string));
  const program: DefaultProgram = Object.freeze({ file, statements: file.statements, steps: Object.freeze(steps), fields });
  cache.set(action.key, program);
  return program;
}
