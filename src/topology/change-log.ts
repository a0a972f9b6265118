import { ChangeEntity, ChangeOperation, NewChange } from '../history/history.types';
import { PlannedCiWrite } from './ci-changes';
import { CI_FIELD_NAMES, CiRecord, DependencyFields, DependencyRecord, FieldChange } from './topology.types';

/** What the change log records for planned CI writes: creates and real updates, never no-ops. */
export function ciWriteChanges(plans: readonly PlannedCiWrite[]): NewChange[] {
  return plans
    .filter((p) => p.isNew || p.changes.length > 0)
    .map((p) => ({
      operation: p.isNew ? ChangeOperation.CREATE : ChangeOperation.UPDATE,
      entity: ChangeEntity.CI,
      key: p.key,
      to: null,
      fields: p.changes,
    }));
}

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && v !== null && !Object.keys(v).length);

/** A deleted CI's last values, so the log can tell what was lost. */
export function ciDeletionChanges(records: readonly CiRecord[]): NewChange[] {
  return records.map((record) => ({
    operation: ChangeOperation.DELETE,
    entity: ChangeEntity.CI,
    key: record.key,
    to: null,
    fields: CI_FIELD_NAMES.filter((f) => !isEmpty(record[f])).map((field) => ({ field, from: record[field], to: null })),
  }));
}

export function dependencyChange(
  operation: ChangeOperation,
  pair: { from: string; to: string },
  before: DependencyFields | null,
  after: DependencyFields | null,
): NewChange {
  const fields: FieldChange[] = (['type', 'strength'] as const)
    .filter((f) => (before?.[f] ?? null) !== (after?.[f] ?? null))
    .map((field) => ({ field, from: before?.[field] ?? null, to: after?.[field] ?? null }));
  return { operation, entity: ChangeEntity.DEPENDENCY, key: pair.from, to: pair.to, fields };
}

export function dependencyDeletionChanges(records: readonly DependencyRecord[]): NewChange[] {
  return records.map((r) => dependencyChange(ChangeOperation.DELETE, r, r, null));
}
