import { DomainError } from '../common/errors/domain-error';
import { PrecedenceConfig, parsePrecedence } from './precedence';

/**
 * Settings of the discovery sync feature, read from the environment once at
 * start-up (a bad value stops the service with the variable named).
 * Documented in docs/discovery.md and the README's configuration table.
 */
export interface DiscoveryConfig {
  /** An open sync with no batch or commit for this long expires (each batch extends it). */
  syncTimeoutMs: number;
  /** How long an item stays STALE before the sweep retires it. */
  staleGraceMs: number;
  /** How often the periodic sweep runs (expired syncs, interrupted commits, retirement); 0 disables the timer. */
  sweepIntervalMs: number;
  precedence: PrecedenceConfig;
}

export const DISCOVERY_CONFIG = Symbol('DISCOVERY_CONFIG');

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function duration(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw DomainError.badInput([{ path: name, message: `must be a whole number of milliseconds from ${min} to ${max}, got '${raw}'` }]);
  }
  return value;
}

export function loadDiscoveryConfig(env: Record<string, string | undefined> = process.env): DiscoveryConfig {
  return {
    syncTimeoutMs: duration(env, 'SVCMAP_SYNC_TIMEOUT_MS', 30 * MINUTE, 1_000, 7 * DAY),
    staleGraceMs: duration(env, 'SVCMAP_STALE_GRACE_MS', 7 * DAY, 0, 3650 * DAY),
    sweepIntervalMs: duration(env, 'SVCMAP_SYNC_SWEEP_MS', MINUTE, 0, DAY),
    precedence: parsePrecedence(env.SVCMAP_SOURCE_PRECEDENCE),
  };
}
