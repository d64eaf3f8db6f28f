// Field-level differences between an expected and an actual JSON value, for `test`: each
// difference names its path (`fields.custom_attributes.plan`), what was expected and what came.

export interface Difference {
  path: string;
  kind: 'missing' | 'unexpected' | 'changed';
  expected?: unknown;
  actual?: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Appends a key to a path the way .map code would read it. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? (base === '' ? key : `${base}.${key}`) : `${base}[${JSON.stringify(key)}]`;
}

/** Every difference between `expected` and `actual` (object key order ignored; `undefined` = absent). */
export function diffValues(expected: unknown, actual: unknown, path = ''): Difference[] {
  if (expected === undefined && actual === undefined) return [];
  if (expected === undefined) return [{ path, kind: 'unexpected', actual }];
  if (actual === undefined) return [{ path, kind: 'missing', expected }];
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const out: Difference[] = [];
    for (const key of Object.keys(expected)) out.push(...diffValues(expected[key], Object.hasOwn(actual, key) ? actual[key] : undefined, joinPath(path, key)));
    for (const key of Object.keys(actual)) if (!Object.hasOwn(expected, key)) out.push({ path: joinPath(path, key), kind: 'unexpected', actual: actual[key] });
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: Difference[] = [];
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) out.push(...diffValues(i < expected.length ? expected[i] : undefined, i < actual.length ? actual[i] : undefined, joinPath(path, i)));
    return out;
  }
  return Object.is(expected, actual) || (expected === 0 && actual === 0) ? [] : [{ path, kind: 'changed', expected, actual }];
}

/** A compact JSON rendering for one diff line (long values are cut in the middle). */
export function show(value: unknown, max = 120): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max / 2)}…${text.slice(-max / 2 + 1)}`;
}

/** One line per difference: `path: expected X, got Y` / `missing (expected X)` / `unexpected Y`. */
export function formatDifference(d: Difference): string {
  switch (d.kind) {
    case 'changed':
      return `${d.path || '(value)'}: expected ${show(d.expected)}, got ${show(d.actual)}`;
    case 'missing':
      return `${d.path || '(value)'}: missing (expected ${show(d.expected)})`;
    case 'unexpected':
      return `${d.path || '(value)'}: unexpected ${show(d.actual)}`;
  }
}
