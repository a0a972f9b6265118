/** What the address bar remembers, so a reload reopens the same map. */
export type MapMode = 'service' | 'upstream' | 'around';

export interface Route {
  mode: MapMode;
  key: string;
}

const MODES: MapMode[] = ['service', 'upstream', 'around'];

export function formatRoute(route: Route): string {
  return `#/${route.mode}/${encodeURIComponent(route.key)}`;
}

export function parseRoute(hash: string): Route | null {
  const match = /^#\/([a-z]+)\/(.+)$/.exec(hash);
  if (!match || !MODES.includes(match[1] as MapMode)) return null;
  try {
    return { mode: match[1] as MapMode, key: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}

/** Business functions and services open their whole service map; anything else what it depends on. */
export function modeFor(kind: string): MapMode {
  return kind === 'BUSINESS_FUNCTION' || kind === 'BUSINESS_SERVICE' ? 'service' : 'upstream';
}
