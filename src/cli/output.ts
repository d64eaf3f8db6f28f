// Terminal output for people: colour only on a TTY (NO_COLOR wins, FORCE_COLOR forces). Credentials
// are kept out of every message by the one redactor (src/settings/redact.ts).

import type { Writable } from 'node:stream';

/** Whether to colour what goes to `stream`: NO_COLOR (any value) disables, FORCE_COLOR=1+ enables, else TTY. */
export function useColor(stream: Writable & { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export interface Style {
  readonly color: boolean;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** ANSI styles, or identity functions when colour is off. */
export function style(color: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    color,
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    bold: wrap(1, 22),
    dim: wrap(2, 22),
  };
}

/** A short message for people on stderr: `error: …` (red and bold on a colour terminal). */
export function errorLine(s: Style, message: string): string {
  return `${s.bold(s.red('error'))}: ${message}\n`;
}
