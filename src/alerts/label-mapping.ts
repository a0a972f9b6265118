import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { MAX_KEY_LENGTH } from '../common/validation/text-rules';
import { KeyCandidate, StringMap } from './alerts.types';

/**
 * How alert labels name a CI: an ordered list of rules, each a template over
 * labels that yields either a CI key or an identifier (a value CIs carry in
 * their `identifiers` list). Every rule whose labels are all present yields a
 * candidate; the first candidate that names an existing CI wins, so a
 * `service` label that is not a key falls through to the pod or host rules.
 *
 * A key candidate also names a CI when discovery recorded it as an alias of
 * one; an identifier names the CI that carries it (see AlertQueries.matchCandidates).
 *
 * Templates: `{label}` is the label's value; `{label|filter}` passes it
 * through filters (see FILTERS). A rule whose label is missing or empty, or
 * whose filter does not apply (a pod name that is not a Deployment's), yields nothing.
 */
export interface KeyRule {
  via: 'KEY' | 'IDENTIFIER';
  template: string;
}

/** Kubernetes names generated suffixes from this alphabet (no vowels, no 0/1/3), which tells them from words. */
const HASH = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-${HASH}{6,10}-${HASH}{5}$`);
const SINGLE_SUFFIX_POD = new RegExp(`^(.+)-${HASH}{5}$`);
const STATEFUL_POD = /^(.+)-\d+$/;

/** What `{label|filter}` can do to a label value; null means "this rule does not apply". */
export const FILTERS: Record<string, (value: string) => string | null> = {
  /** `https://web-1.example.com:9100/metrics`, `web-1:9100`, `[::1]:9100` -> the host alone. */
  host: hostOf,
  /** A Deployment's pod `checkout-7d4b9c8f6-x2kq9` (ReplicaSet hash, pod hash) -> `checkout`. */
  deployment: (pod) => DEPLOYMENT_POD.exec(pod)?.[1] ?? null,
  /** A StatefulSet's pod `postgres-2` -> `postgres`. */
  statefulset: (pod) => STATEFUL_POD.exec(pod)?.[1] ?? null,
  /** A DaemonSet's (or Job's) pod `node-exporter-x2kq9` -> `node-exporter`; not a Deployment's pod. */
  daemonset: (pod) => (DEPLOYMENT_POD.test(pod) ? null : SINGLE_SUFFIX_POD.exec(pod)?.[1] ?? null),
  lower: (value) => value.toLowerCase(),
};

/**
 * The default rules, most specific first. Pod rules come before `instance`:
 * kube-state-metrics alerts carry the scraper's address as `instance` but
 * the pod in trouble as `pod`.
 */
export const DEFAULT_KEY_RULES: readonly KeyRule[] = [
  { via: 'KEY', template: '{ci_key}' },
  { via: 'KEY', template: '{service}' },
  { via: 'KEY', template: 'k8s:{cluster}/{namespace}/deployment/{deployment}' },
  { via: 'KEY', template: 'k8s:{cluster}/{namespace}/statefulset/{statefulset}' },
  { via: 'KEY', template: 'k8s:{cluster}/{namespace}/daemonset/{daemonset}' },
  { via: 'KEY', template: 'k8s:{cluster}/{namespace}/deployment/{pod|deployment}' },
  { via: 'KEY', template: 'k8s:{cluster}/{namespace}/statefulset/{pod|statefulset}' },
  { via: 'KEY', template: 'k8s:{cluster}/{namespace}/daemonset/{pod|daemonset}' },
  { via: 'IDENTIFIER', template: 'hostname:{instance|host}' },
  { via: 'KEY', template: 'host:{instance|host}' },
];

const PLACEHOLDER = /\{([^{}|]+)((?:\|[^{}|]+)*)\}/g;
const LABEL_NAME = /^[^\s{}|]{1,256}$/u;
const MAX_RULES = 100;

export function hostOf(instance: string): string | null {
  let rest = instance.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  rest = rest.replace(/[/?#].*$/, '').replace(/^[^@]*@/, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(rest);
  if (bracketed) return bracketed[1];
  // One colon: host:port. Several: a bare IPv6 address, which has no port to strip.
  const parts = rest.split(':');
  const host = parts.length === 2 && /^\d*$/.test(parts[1]) ? parts[0] : rest;
  return host.length ? host : null;
}

/**
 * The rules from SVCMAP_ALERT_KEY_LABELS (JSON), or the defaults when unset.
 * Format: `[{ "key": "<template>" } | { "identifier": "<template>" }, ...]`.
 * Throws BAD_USER_INPUT naming the bad rule, so a typo stops start-up.
 */
export function parseKeyRules(json: string | undefined, path = 'SVCMAP_ALERT_KEY_LABELS'): KeyRule[] {
  if (json === undefined || json.trim() === '') return [...DEFAULT_KEY_RULES];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw DomainError.badInput([{ path, message: `must be JSON: ${(error as Error).message}` }]);
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_RULES) {
    throw DomainError.badInput([{ path, message: `must be a JSON list of 1-${MAX_RULES} rules such as [{"key": "{ci_key}"}, {"identifier": "hostname:{instance|host}"}]` }]);
  }
  const problems: FieldProblem[] = [];
  const rules = value.flatMap((rule: unknown, index): KeyRule[] => {
    const where = `${path}[${index}]`;
    const fields = rule && typeof rule === 'object' && !Array.isArray(rule) ? Object.keys(rule) : [];
    if (fields.length !== 1 || !['key', 'identifier'].includes(fields[0])) {
      problems.push({ path: where, message: 'must be an object with exactly one of "key" or "identifier"' });
      return [];
    }
    const template = (rule as Record<string, unknown>)[fields[0]];
    const problem = templateProblem(template);
    if (problem) {
      problems.push({ path: `${where}.${fields[0]}`, message: problem });
      return [];
    }
    return [{ via: fields[0] === 'key' ? 'KEY' : 'IDENTIFIER', template: template as string }];
  });
  if (problems.length) throw DomainError.badInput(problems);
  return rules;
}

function templateProblem(template: unknown): string | null {
  if (typeof template !== 'string' || template.length === 0 || template.length > MAX_KEY_LENGTH) {
    return `must be a template of 1-${MAX_KEY_LENGTH} characters`;
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) return 'has an unbalanced { or }';
  const placeholders = [...template.matchAll(PLACEHOLDER)];
  if (!placeholders.length) return 'must name at least one label, as {label}';
  for (const [, label, filters] of placeholders) {
    if (!LABEL_NAME.test(label)) return `'${label}' is not a label name`;
    for (const filter of filters.split('|').slice(1)) {
      if (!Object.hasOwn(FILTERS, filter)) return `'${filter}' is not a filter; use ${Object.keys(FILTERS).join(', ')}`;
    }
  }
  return null;
}

/** The value of a template over labels, or null when a label is missing or empty or a filter does not apply. */
export function applyTemplate(template: string, labels: StringMap): string | null {
  let missing = false;
  const value = template.replace(PLACEHOLDER, (_whole, label: string, filters: string) => {
    let current: string | null = Object.hasOwn(labels, label) && labels[label] !== '' ? labels[label] : null;
    for (const filter of filters.split('|').slice(1)) {
      if (current === null) break;
      current = FILTERS[filter](current);
    }
    if (current === null || current === '') missing = true;
    return current ?? '';
  });
  return missing || value.length > MAX_KEY_LENGTH ? null : value;
}

/** Every candidate the labels yield, in rule order, without repeats; an explicitly given key comes first. */
export function keyCandidates(labels: StringMap, rules: readonly KeyRule[], explicitKey: string | null = null): KeyCandidate[] {
  const out: KeyCandidate[] = explicitKey ? [{ via: 'KEY', value: explicitKey }] : [];
  for (const rule of rules) {
    const value = applyTemplate(rule.template, labels);
    if (value !== null && !out.some((c) => c.via === rule.via && c.value === value)) out.push({ via: rule.via, value });
  }
  return out;
}

/**
 * What the graph knows about a set of candidates: which are keys of CIs,
 * which are other keys (aliases) of a CI, and which CI carries each identifier.
 */
export interface CandidateMatches {
  keys: ReadonlySet<string>;
  aliases: ReadonlyMap<string, string>;
  identifiers: ReadonlyMap<string, string>;
}

/** The key of the first candidate that names a CI, or null (the alert is stored unmatched). */
export function chooseKey(candidates: readonly KeyCandidate[], matches: CandidateMatches): string | null {
  for (const { via, value } of candidates) {
    if (via === 'KEY' && matches.keys.has(value)) return value;
    if (via === 'KEY' && matches.aliases.has(value)) return matches.aliases.get(value)!;
    if (via === 'IDENTIFIER' && matches.identifiers.has(value)) return matches.identifiers.get(value)!;
  }
  return null;
}
