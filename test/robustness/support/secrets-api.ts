// The public API the secrets test drives (re-exported so the test imports one place).

export { createDeadLetterFile, createDestination, deliver } from '../../../src/index.js';
export { deadLetterLine } from '../../../src/runtime/dead-letter.js';
