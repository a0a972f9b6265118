/**
 * Backstage entity references: `[<kind>:][<namespace>/]<name>` (or the
 * object form `{ kind, namespace, name }`). Backstage compares them ignoring
 * case, so a parsed reference is lower-cased: the same entity written
 * `Component:Default/Checkout` and `component:checkout` gives one key.
 */
export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

export interface RefDefaults {
  /** The kind a field implies when the reference leaves it out; none means the kind must be written. */
  kind?: string;
  /** The namespace of the entity that holds the reference. */
  namespace: string;
}

export const DEFAULT_NAMESPACE = 'default';

/** Parses a reference, or returns a message saying what is wrong with it. */
export function parseEntityRef(raw: unknown, defaults: RefDefaults): EntityRef | string {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const { kind, namespace, name } = raw as Record<string, unknown>;
    if (typeof name !== 'string' || !name.trim()) return 'a reference object needs a name';
    return finish(typeof kind === 'string' ? kind : undefined, typeof namespace === 'string' ? namespace : undefined, name, defaults);
  }
  if (typeof raw !== 'string' || !raw.trim()) return 'a reference must be a non-empty string';
  const text = raw.trim();
  const colon = text.indexOf(':');
  const kind = colon >= 0 ? text.slice(0, colon) : undefined;
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : undefined;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  return finish(kind, namespace, name, defaults);
}

function finish(kind: string | undefined, namespace: string | undefined, name: string, defaults: RefDefaults): EntityRef | string {
  const resolvedKind = (kind ?? defaults.kind)?.trim();
  if (!resolvedKind) return 'needs a kind here (write it as kind:name, e.g. component:artist-lookup)';
  if (!name.trim()) return 'has an empty name';
  if (namespace !== undefined && !namespace.trim()) return 'has an empty namespace';
  return {
    kind: resolvedKind.toLowerCase(),
    namespace: (namespace ?? defaults.namespace).trim().toLowerCase(),
    name: name.trim().toLowerCase(),
  };
}

/** `kind:namespace/name`, the canonical text of a reference. */
export function formatEntityRef(ref: EntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}
