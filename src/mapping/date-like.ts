// Segment's `date-like` string format for datetime fields (customerio.md §3.18), as the field
// validators know it by name. The rule lives in src/timestamps.ts; no ajv here: the generated field
// validators (src/generated/) get it through FIELD_FORMATS.

import { isDateLike } from '../timestamps.js';

/** The formats the field validators know, by name (ajv's `formats` option; `code.formats` of the generator). */
export const FIELD_FORMATS = { 'date-like': { type: 'string', validate: isDateLike } } as const;
