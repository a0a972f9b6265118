import { DomainError, FieldProblem } from '../common/errors/domain-error';
import {
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TAGS,
  MAX_TEXT_LENGTH,
  attributesProblem,
  keyProblem,
  textProblem,
} from '../common/validation/text-rules';
import { problemsOf } from '../common/validation/validate-input';
import { CIInput, MAX_IDENTIFIERS } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { BUSINESS_KINDS, CIKind, CriticalityTier, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';

/**
 * Validation of a sync batch with exactly the rules (and messages) of
 * CIInput and DependencyInput. class-validator costs about 70 µs per CI,
 * a third of a second per 5,000-item batch; a sync re-sends the whole
 * inventory every few minutes, so most items take a hand-written check of
 * the same rules first, and only items it doubts go through class-validator,
 * which has the last word and writes the messages. The check must never pass
 * what class-validator refuses (batch-validation.spec.ts compares them).
 */

const KINDS = new Set<string>(Object.values(CIKind));
const TIERS = new Set<string>(Object.values(CriticalityTier));
const TYPES = new Set<string>(Object.values(DependencyType));
const STRENGTHS = new Set<string>(Object.values(DependencyStrength));

const absent = (v: unknown) => v === undefined || v === null;
const text = (v: unknown, max: number) => absent(v) || textProblem(v, max) === null;

/** True only when the item certainly satisfies every CIInput rule. */
export function isPlainlyValidCi(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const item = value as Record<string, unknown>;
  if (keyProblem(item.key) !== null || typeof item.kind !== 'string' || !KINDS.has(item.kind)) return false;
  const kind = item.kind as CIKind;
  if (!text(item.name, MAX_NAME_LENGTH) || !text(item.description, MAX_TEXT_LENGTH)) return false;
  if (!text(item.owner, MAX_LABEL_LENGTH) || !text(item.environment, MAX_LABEL_LENGTH)) return false;
  if (!absent(item.tags)) {
    const tags = item.tags;
    if (!Array.isArray(tags) || tags.length > MAX_TAGS || !tags.every((t) => typeof t === 'string' && textProblem(t, MAX_LABEL_LENGTH) === null)) return false;
  }
  if (attributesProblem(item.attributes) !== null) return false;
  const business = BUSINESS_KINDS.has(kind);
  if (!absent(item.criticality) && !(business && typeof item.criticality === 'string' && TIERS.has(item.criticality))) return false;
  if (!absent(item.revenuePerHour)) {
    const v = item.revenuePerHour;
    if (!business || typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1e12) return false;
  }
  if (!absent(item.usersAffected)) {
    const v = item.usersAffected;
    if (!business || typeof v !== 'number' || !Number.isInteger(v) || v < 0) return false;
  }
  if (kind === CIKind.REDUNDANCY_GROUP) {
    const v = item.minHealthy;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 10_000) return false;
  } else if (!absent(item.minHealthy)) return false;
  if (!absent(item.expectedVersion)) return false;
  if (!absent(item.identifiers)) {
    const ids = item.identifiers;
    if (!Array.isArray(ids) || ids.length > MAX_IDENTIFIERS || !ids.every((i) => keyProblem(i) === null)) return false;
  }
  return true;
}

/** True only when the item certainly satisfies every DependencyInput rule. */
export function isPlainlyValidDependency(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const item = value as Record<string, unknown>;
  if (keyProblem(item.from) !== null || keyProblem(item.to) !== null) return false;
  if (!absent(item.type) && !(typeof item.type === 'string' && TYPES.has(item.type))) return false;
  if (!absent(item.strength) && !(typeof item.strength === 'string' && STRENGTHS.has(item.strength))) return false;
  return true;
}

function listOf(value: unknown, path: string, problems: FieldProblem[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be a list' });
    return [];
  }
  return value;
}

function duplicates(ids: readonly string[], path: (index: number) => string, what: string, problems: FieldProblem[]): void {
  const first = new Map<string, number>();
  ids.forEach((id, index) => {
    const seen = first.get(id);
    if (seen === undefined) first.set(id, index);
    else problems.push({ path: path(index), message: `${what} '${id}' appears twice in one batch (also at ${path(seen)})` });
  });
}

/**
 * Checks a whole batch and throws one BAD_USER_INPUT naming every bad item
 * by list, index and field (`cis[3].key`), so nothing of a bad batch is written.
 */
export function validateSyncBatch(cis: unknown, dependencies: unknown, maxItems: number): { cis: CIInput[]; dependencies: DependencyInput[] } {
  const problems: FieldProblem[] = [];
  const ciList = listOf(cis, 'cis', problems);
  const dependencyList = listOf(dependencies, 'dependencies', problems);
  const total = ciList.length + dependencyList.length;
  if (total > maxItems) {
    throw DomainError.badInput([
      { path: 'cis', message: `a batch takes at most ${maxItems} items, CIs and dependencies together (got ${total}); split it` },
    ]);
  }
  ciList.forEach((item, index) => {
    if (isPlainlyValidCi(item)) return;
    const path = `cis[${index}]`;
    problems.push(...problemsOf(CIInput, item, path));
    const version = (item as Record<string, unknown> | null)?.expectedVersion;
    if (!absent(version)) problems.push({ path: `${path}.expectedVersion`, message: 'is not taken by syncs: a sync reports what the source sees' });
  });
  dependencyList.forEach((item, index) => {
    if (!isPlainlyValidDependency(item)) problems.push(...problemsOf(DependencyInput, item, `dependencies[${index}]`));
    const pair = item as { from?: unknown; to?: unknown } | null;
    if (pair && typeof pair.from === 'string' && pair.from === pair.to) {
      problems.push({ path: `dependencies[${index}].to`, message: `must differ from 'from': '${pair.from}' cannot depend on itself` });
    }
  });
  if (!problems.length) {
    duplicates((ciList as CIInput[]).map((c) => c.key), (i) => `cis[${i}].key`, 'key', problems);
    duplicates((dependencyList as DependencyInput[]).map((d) => `${d.from}->${d.to}`), (i) => `dependencies[${i}]`, 'dependency', problems);
  }
  if (problems.length) throw DomainError.badInput(problems);
  return { cis: ciList as CIInput[], dependencies: dependencyList as DependencyInput[] };
}
