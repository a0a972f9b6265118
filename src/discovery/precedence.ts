import { DomainError } from '../common/errors/domain-error';
import { sourceAllowed } from '../auth/roles';
import { CI_FIELD_NAMES } from '../topology/topology.types';

/**
 * Attribute precedence: when a sync reports a value that differs from the
 * stored one, who wins. Documented in docs/discovery.md.
 *
 * - A field a person set (through the API or a topology file loaded by a
 *   person) keeps the person's value when the field is in the source's
 *   `personWins` list; by default the business attributes.
 * - Otherwise the value set by a source of higher `rank` stays; between
 *   equal ranks (the default: 0, and 10 for `topology-file:*` sources) the
 *   most recent report wins.
 * - The losing value is kept in the item's `overridden` list (one entry per
 *   field and source), never dropped; it leaves the list when that source
 *   reports the winning value, or wins itself.
 */

/** Dependency fields that precedence also governs. */
export const DEPENDENCY_FIELD_NAMES = ['type', 'strength'] as const;

export const BUSINESS_FIELDS = ['owner', 'criticality', 'revenuePerHour', 'usersAffected'];

/** Who set a value, in `overridden` and ownership: a source name, or this for a person. */
export const PERSON = 'person';

/** Most losing values kept per item (the oldest go first). */
export const MAX_OVERRIDDEN = 50;

export interface SourcePolicy {
  rank: number;
  personWins: ReadonlySet<string>;
}

export interface PrecedenceRule {
  /** A source name or pattern (`*` matches any run of characters), as API key source patterns. */
  match: string;
  rank: number;
  personWins: string[];
}

export interface PrecedenceConfig {
  default: { rank: number; personWins: string[] };
  /** The first rule whose `match` fits the source applies. */
  sources: PrecedenceRule[];
}

/**
 * Topology files are written by architects (`svcmap apply`): by default what a
 * file says outranks what discovery reports, so the two no longer overwrite
 * each other on every run; a person's business attributes still beat the
 * file (`personWins` as the default's). Rank is per source, so this holds for
 * every field a file writes; fields a file leaves out are not contested.
 */
export const TOPOLOGY_FILE_RANK = 10;
export const TOPOLOGY_FILE_MATCH = 'topology-file:*';

export const DEFAULT_PRECEDENCE: PrecedenceConfig = {
  default: { rank: 0, personWins: BUSINESS_FIELDS },
  sources: [{ match: TOPOLOGY_FILE_MATCH, rank: TOPOLOGY_FILE_RANK, personWins: BUSINESS_FIELDS }],
};

const KNOWN_FIELDS = new Set<string>([...CI_FIELD_NAMES, ...DEPENDENCY_FIELD_NAMES]);

/**
 * Parses SVCMAP_SOURCE_PRECEDENCE, e.g.
 * `{"default":{"personWins":["owner","criticality"]},"sources":[{"match":"backstage","rank":10,"personWins":[]}]}`.
 * A rule leaves out what it does not change: a missing `rank` or `personWins` is the default's.
 */
export function parsePrecedence(json: string | undefined, variable = 'SVCMAP_SOURCE_PRECEDENCE'): PrecedenceConfig {
  if (!json) return DEFAULT_PRECEDENCE;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw DomainError.badInput([{ path: variable, message: `is not JSON: ${(error as Error).message}` }]);
  }
  const problems: { path: string; message: string }[] = [];
  const object = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!object(raw)) throw DomainError.badInput([{ path: variable, message: 'must be a JSON object with "default" and/or "sources"' }]);
  const fields = (value: unknown, path: string): string[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((f) => typeof f !== 'string' || !KNOWN_FIELDS.has(f))) {
      problems.push({ path, message: `must be a list of field names among ${[...KNOWN_FIELDS].join(', ')}` });
      return undefined;
    }
    return value as string[];
  };
  const rank = (value: unknown, path: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push({ path, message: 'must be a whole number' });
      return undefined;
    }
    return value;
  };
  const defaults = object(raw.default) ? raw.default : raw.default === undefined ? {} : (problems.push({ path: `${variable}.default`, message: 'must be an object' }), {});
  const base = {
    rank: rank(defaults.rank, `${variable}.default.rank`) ?? DEFAULT_PRECEDENCE.default.rank,
    personWins: fields(defaults.personWins, `${variable}.default.personWins`) ?? DEFAULT_PRECEDENCE.default.personWins,
  };
  const rules: PrecedenceRule[] = [];
  if (raw.sources !== undefined && !Array.isArray(raw.sources)) problems.push({ path: `${variable}.sources`, message: 'must be a list of rules' });
  (Array.isArray(raw.sources) ? raw.sources : []).forEach((rule: unknown, index: number) => {
    const path = `${variable}.sources[${index}]`;
    if (!object(rule) || typeof rule.match !== 'string' || !/^[^\s\p{C}]{1,256}$/u.test(rule.match)) {
      problems.push({ path, message: 'must be an object with a "match" source name or pattern' });
      return;
    }
    rules.push({
      match: rule.match,
      rank: rank(rule.rank, `${path}.rank`) ?? base.rank,
      personWins: fields(rule.personWins, `${path}.personWins`) ?? base.personWins,
    });
  });
  if (problems.length) throw DomainError.badInput(problems);
  // The built-in rule comes after the configured ones: a configured rule that matches topology-file sources replaces it.
  rules.push({ match: TOPOLOGY_FILE_MATCH, rank: TOPOLOGY_FILE_RANK, personWins: base.personWins });
  return { default: base, sources: rules };
}

export function policyFor(config: PrecedenceConfig, source: string): SourcePolicy {
  const rule = config.sources.find((r) => sourceAllowed([r.match], source)) ?? config.default;
  return { rank: rule.rank, personWins: new Set(rule.personWins) };
}

/** One value that lost, kept as provenance. `source` is a source name or `person`. */
export interface OverriddenValue {
  field: string;
  source: string;
  value: unknown;
  at: string;
}

/** Who set each field's current value. */
export interface FieldOwnership {
  /** Field -> the source whose report set the current value. */
  setBy: Record<string, string>;
  /** Fields a person set last; null on items written before this was kept (then a person-created item's non-empty fields count). */
  personFields: string[] | null;
  overridden: OverriddenValue[];
}

export interface MergeInput {
  /** Stored values; null for a new item. */
  current: Record<string, unknown> | null;
  /** What the source reports, normalized as stored; only the fields it sent. */
  reported: Record<string, unknown>;
  ownership: FieldOwnership;
  createdByPerson: boolean;
  source: string;
  now: string;
}

export interface MergeOutcome {
  /** The reported fields that win (a subset of `reported`). */
  winning: Record<string, unknown>;
  ownership: FieldOwnership;
  ownershipChanged: boolean;
}

/** Equal as stored values; most reported values are strings, compared without serializing. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
const isEmpty = (v: unknown) =>
  v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

function upsertOverridden(list: OverriddenValue[], entry: OverriddenValue): OverriddenValue[] {
  const existing = list.find((o) => o.field === entry.field && o.source === entry.source);
  if (existing && same(existing.value, entry.value)) return list;
  const rest = list.filter((o) => o !== existing);
  return [...rest, entry].slice(-MAX_OVERRIDDEN);
}

/** Decides, field by field, whether a source's report wins over what is stored; see the rules at the top of this file. */
export function mergeReported(input: MergeInput, policy: SourcePolicy, rankOf: (source: string) => number): MergeOutcome {
  const { current, reported, source, now } = input;
  // Copied on first change only: an identical re-sync allocates nothing here.
  let setBy = input.ownership.setBy;
  let personFields = input.ownership.personFields;
  let overridden = input.ownership.overridden;
  let changed = false;
  const winning: Record<string, unknown> = {};
  const personSet = (field: string) =>
    personFields !== null ? personFields.includes(field) : input.createdByPerson && current !== null && !isEmpty(current[field]);
  const dropOwn = (field: string) => {
    if (!overridden.some((o) => o.field === field && o.source === source)) return;
    overridden = overridden.filter((o) => !(o.field === field && o.source === source));
    changed = true;
  };
  const keep = (entry: OverriddenValue) => {
    const next = upsertOverridden(overridden, entry);
    if (next !== overridden) {
      overridden = next;
      changed = true;
    }
  };
  const setSetter = (field: string) => {
    if (setBy[field] === source) return;
    setBy = { ...setBy, [field]: source };
    changed = true;
  };

  for (const field of Object.keys(reported)) {
    const value = reported[field];
    if (current === null) {
      winning[field] = value;
      setSetter(field);
      continue;
    }
    const stored = current[field];
    if (same(stored, value)) {
      dropOwn(field);
      continue;
    }
    const byPerson = personSet(field);
    const setter = byPerson ? PERSON : setBy[field];
    const loses = byPerson ? policy.personWins.has(field) : setter !== undefined && setter !== source && rankOf(setter) > policy.rank;
    if (loses) {
      keep({ field, source, value, at: now });
      continue;
    }
    winning[field] = value;
    dropOwn(field);
    // A source updating its own value is an update, not a disagreement: history has it.
    if (setter !== undefined && setter !== source && !isEmpty(stored)) keep({ field, source: setter, value: stored, at: now });
    setSetter(field);
    if (personFields === null && input.createdByPerson) {
      // First discovery write to an item a person created before fields were tracked: the person keeps the rest.
      personFields = Object.keys(current).filter((f) => f !== field && KNOWN_FIELDS.has(f) && !isEmpty(current[f]));
      changed = true;
    } else if (personFields !== null && personFields.includes(field)) {
      personFields = personFields.filter((f) => f !== field);
      changed = true;
    }
  }
  if (current === null && personFields === null) personFields = [];
  const ownership: FieldOwnership = { setBy: changed ? sortKeys(setBy) : setBy, personFields, overridden };
  return { winning, ownership, ownershipChanged: changed && current !== null };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}
