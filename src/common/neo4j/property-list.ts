/**
 * Stored properties read as a Cypher list in a fixed order instead of the
 * map `properties()` returns. The driver decodes a map key by key into a
 * slow dictionary object; a list of the same values decodes several times
 * faster, which counts wherever thousands of nodes come back (a re-sync, a
 * wide blast radius).
 */
export function propertyList(variable: string, fields: readonly string[]): string {
  return `[${fields.map((f) => `${variable}.${f}`).join(', ')}]`;
}

/** The properties a propertyList read, by name (absent ones null, as in a map projection). */
export function propertiesFromList(fields: readonly string[], values: unknown[]): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) props[fields[i]] = values[i];
  return props;
}
