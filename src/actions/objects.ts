// The value policy lives in src/evaluator/value.ts; this re-export only keeps timestamps.ts's import
// working until it imports value.ts itself (then delete this file).
export { copyRecord as copyObject, hasOwn, isRecord as isPlainObject, setOwn } from '../evaluator/value.js';
