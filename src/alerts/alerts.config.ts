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
}

export const ALERTS_CONFIG = Symbol('ALERTS_CONFIG');

const MIN_SECRET_LENGTH = 24;

export function loadAlertsConfig(env: Record<string, string | undefined> = process.env): AlertsConfig {
  const secret = env.SVCMAP_ALERT_WEBHOOK_SECRET;
  if (secret !== undefined && secret !== '' && (secret.length < MIN_SECRET_LENGTH || secret.length > 1024 || /[\s\p{C}]/u.test(secret))) {
    throw DomainError.badInput([
      { path: 'SVCMAP_ALERT_WEBHOOK_SECRET', message: `must be ${MIN_SECRET_LENGTH}-1024 characters without whitespace or control characters` },
    ]);
  }
  return { keyRules: parseKeyRules(env.SVCMAP_ALERT_KEY_LABELS), webhookSecret: secret || undefined };
}
