import { Attributes } from '../common/graphql/json-object.scalar';
import { CI_FIELD_NAMES, CiFields, CiPatch, CiRecord, FieldChange } from './topology.types';
import { BUSINESS_KINDS, CIKind } from './topology.vocabulary';

/** Tags are a set: trimmed, de-duplicated and sorted, so order never counts as a change. */
export function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter((t) => t.length > 0))].sort();
}

/** Attributes with sorted keys, so that key order never counts as a change. */
export function canonicalAttributes(attributes: Attributes | null | undefined): Attributes {
  const source = attributes ?? {};
  return Object.fromEntries(Object.keys(source).sort().map((k) => [k, source[k]]));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function emptyFields(key: string, kind: CIKind): CiFields {
  return {
    kind,
    name: key,
    description: null,
    owner: null,
    environment: null,
    tags: [],
    attributes: {},
    criticality: null,
    revenuePerHour: null,
    usersAffected: null,
    minHealthy: null,
  };
}

export interface PlannedCiWrite {
  key: string;
  isNew: boolean;
  fields: CiFields;
  changes: FieldChange[];
}

/**
 * Applies a patch to what is stored (or to nothing, for a new CI) and says
 * which fields really change. Undefined keeps a value, null clears it.
 * Business fields and minHealthy only live on kinds that carry them, so
 * changing a CI's kind drops the ones the new kind cannot have.
 */
export function planCiWrite(existing: CiRecord | undefined, patch: CiPatch): PlannedCiWrite {
  const before: CiFields = existing ?? emptyFields(patch.key, patch.kind);
  const after: CiFields = { ...before, kind: patch.kind };
  for (const field of CI_FIELD_NAMES) {
    if (field === 'kind') continue;
    const value = (patch as Record<string, unknown>)[field];
    if (value === undefined) continue;
    (after as unknown as Record<string, unknown>)[field] = value;
  }
  after.name = after.name ?? patch.key;
  after.tags = normalizeTags(after.tags);
  after.attributes = canonicalAttributes(after.attributes);
  if (!BUSINESS_KINDS.has(after.kind)) {
    after.criticality = null;
    after.revenuePerHour = null;
    after.usersAffected = null;
  }
  if (after.kind !== CIKind.REDUNDANCY_GROUP) after.minHealthy = null;

  const baseline = existing ? before : ({} as Partial<CiFields>);
  const changes: FieldChange[] = [];
  for (const field of CI_FIELD_NAMES) {
    const from = existing ? baseline[field] : null;
    const to = after[field];
    const isEmpty = to === null || (Array.isArray(to) && to.length === 0) || (typeof to === 'object' && to !== null && Object.keys(to).length === 0);
    if (existing ? !same(from, to) : !isEmpty) changes.push({ field, from: from ?? null, to });
  }
  return { key: patch.key, isNew: !existing, fields: after, changes };
}
