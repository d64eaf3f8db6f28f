// The grammars as data, for the railroad-diagram script (grammar/): Chevrotain's serialized GAST
// of the FQL and .map parsers, taken from the same parser instances that parse.

import { fqlParser } from './fql.js';
import { mapParser } from './map.js';

/** Serialized grammar productions of both languages (`createSyntaxDiagramsCode` accepts either). */
export function serializedGrammars(): { fql: unknown; map: unknown } {
  return { fql: fqlParser.getSerializedGastProductions(), map: mapParser.getSerializedGastProductions() };
}
