import { DomainError } from '../common/errors/domain-error';
import { KeyRule, parseKeyRules } from './label-mapping';

/**
 * The alert intake's settings, read once at start-up so that a bad value
 * stops the service with a message naming the variable (docs/alerts.md).
 */
export interface AlertsConfig {
  /** How labels name a CI (SVCMAP_ALERT_KEY_LABELS). */
  keyRules: KeyRule[];
  /** A shared secret Alertmanager may send instead of an API key (SVCMAP_ALERT_WEBHOOK_SECRET); undefined: keys only. */
  webhookSecret?: string;
  /**
   * A firing Alertmanager alert with no known end that no notification has
   * named for this long reads as RESOLVED (SVCMAP_ALERT_EXPIRE_AFTER_MS).
   */
  expireAfterMs: number;
}

export const ALERTS_CONFIG = Symbol('ALERTS_CONFIG');

const MIN_SECRET_LENGTH = 24;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Three times Alertmanager's default repeat_interval (4h): a firing alert whose repeat got lost does not expire. */
export const DEFAULT_EXPIRE_AFTER_MS = 12 * HOUR;
export const MIN_EXPIRE_AFTER_MS = MINUTE;
export const MAX_EXPIRE_AFTER_MS = 365 * DAY;

export function loadAlertsConfig(env: Record<string, string | undefined> = process.env): AlertsConfig {
  const secret = env.SVCMAP_ALERT_WEBHOOK_SECRET;
  if (secret !== undefined && secret !== '' && (secret.length < MIN_SECRET_LENGTH || secret.length > 1024 || /[\s\p{C}]/u.test(secret))) {
    throw DomainError.badInput([
      { path: 'SVCMAP_ALERT_WEBHOOK_SECRET', message: `must be ${MIN_SECRET_LENGTH}-1024 characters without whitespace or control characters` },
    ]);
  }
  return {
    keyRules: parseKeyRules(env.SVCMAP_ALERT_KEY_LABELS),
    webhookSecret: secret || undefined,
    expireAfterMs: parseExpireAfter(env.SVCMAP_ALERT_EXPIRE_AFTER_MS),
  };
}

/** SVCMAP_ALERT_EXPIRE_AFTER_MS: whole milliseconds, 1 minute to 365 days; unset or empty is 12 hours. */
export function parseExpireAfter(raw: string | undefined, path = 'SVCMAP_ALERT_EXPIRE_AFTER_MS'): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_EXPIRE_AFTER_MS;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < MIN_EXPIRE_AFTER_MS || value > MAX_EXPIRE_AFTER_MS) {
    throw DomainError.badInput([
      {
        path,
        message: `must be a whole number of milliseconds from ${MIN_EXPIRE_AFTER_MS} (1 minute) to ${MAX_EXPIRE_AFTER_MS} (365 days), well above Alertmanager's repeat_interval; got '${raw.slice(0, 40)}'`,
      },
    ]);
  }
  return value;
}
