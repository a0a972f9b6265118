import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_EXPIRE_AFTER_MS, loadAlertsConfig, parseExpireAfter } from './alerts.config';
import { DEFAULT_KEY_RULES } from './label-mapping';

/** The message a bad setting stops start-up with. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.message;
  }
  throw new Error('accepted');
}

describe('alert intake settings', () => {
  it('defaults: the built-in label rules, no shared secret, alerts expire after 12 hours', () => {
    expect(loadAlertsConfig({})).toEqual({ keyRules: [...DEFAULT_KEY_RULES], webhookSecret: undefined, expireAfterMs: 12 * 3_600_000 });
    expect(DEFAULT_EXPIRE_AFTER_MS).toBe(43_200_000);
    expect(loadAlertsConfig({ SVCMAP_ALERT_EXPIRE_AFTER_MS: '' }).expireAfterMs).toBe(DEFAULT_EXPIRE_AFTER_MS);
  });

  it('reads SVCMAP_ALERT_EXPIRE_AFTER_MS in whole milliseconds, from 1 minute to 365 days', () => {
    expect(loadAlertsConfig({ SVCMAP_ALERT_EXPIRE_AFTER_MS: '86400000' }).expireAfterMs).toBe(86_400_000);
    expect(parseExpireAfter('60000')).toBe(60_000);
    expect(parseExpireAfter('31536000000')).toBe(365 * 24 * 3_600_000);
  });

  it.each(['12h', '-1', '0', '59999', '1.5e7', '31536000001', 'NaN', '4h30m'])('refuses SVCMAP_ALERT_EXPIRE_AFTER_MS=%s, naming the variable and the range', (raw) => {
    expect(refusal(() => loadAlertsConfig({ SVCMAP_ALERT_EXPIRE_AFTER_MS: raw }))).toContain(
      `SVCMAP_ALERT_EXPIRE_AFTER_MS: must be a whole number of milliseconds from 60000 (1 minute) to 31536000000 (365 days), well above Alertmanager's repeat_interval; got '${raw}'`,
    );
  });

  it('still refuses a short webhook secret', () => {
    expect(refusal(() => loadAlertsConfig({ SVCMAP_ALERT_WEBHOOK_SECRET: 'short' }))).toContain('SVCMAP_ALERT_WEBHOOK_SECRET: must be 24-1024 characters');
  });
});
