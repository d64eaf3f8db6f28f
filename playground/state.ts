// The playground's state in the URL fragment (`#s=…`): a link reproduces a case exactly. Base64url
// of the UTF-8 JSON; unknown or malformed fragments give `undefined` (the page keeps its defaults).

export interface PlaygroundState {
  tab: 'map' | 'segment';
  profile: 'strict' | 'segment';
  event: string;
  map: string;
  segment: string;
}

const VERSION = 1;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The fragment (without `#`) for a state. */
export function encodeState(state: PlaygroundState): string {
  return `s=${toBase64Url(JSON.stringify({ v: VERSION, ...state }))}`;
}

/** The state in a fragment (with or without `#`), or undefined when there is none or it is not ours. */
export function decodeState(fragment: string): PlaygroundState | undefined {
  const m = /^#?s=([A-Za-z0-9_-]+)$/.exec(fragment);
  if (!m) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(fromBase64Url(m[1] as string));
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  const d = doc as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const event = str('event');
  const map = str('map');
  if (d.v !== VERSION || event === undefined || map === undefined) return undefined;
  return {
    tab: d.tab === 'segment' ? 'segment' : 'map',
    profile: d.profile === 'segment' ? 'segment' : 'strict',
    event,
    map,
    segment: str('segment') ?? '',
  };
}
