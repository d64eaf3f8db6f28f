// `cio-actions test`: placeholder until the library exports what it needs.

import type { CommandSpec } from '../args.js';
import { NotAvailableError } from '../api.js';
import type { CommandRun } from '../io.js';

export const spec: CommandSpec = {
  name: 'test',
  summary: 'test (not available yet)',
  usage: 'FILE...',
  options: {},
  positionals: { min: 0, max: Infinity, name: 'files' },
};

export const run: CommandRun = async () => {
  throw new NotAvailableError('compileMapping');
};
