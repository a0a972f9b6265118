import { registerEnumType } from '@nestjs/graphql';
import { SeverityEnum } from '../root-cause/root-cause.vocabulary';

/**
 * Severities are the root-cause engine's (GraphQL `Severity`): one vocabulary
 * for alerts however they arrive. Alertmanager's `severity` label maps onto
 * it ignoring case (alert-fields.ts).
 */
export { SeverityEnum as Severity };

/** What a stored alert is now. */
export enum AlertStatus {
  ACTIVE = 'ACTIVE',
  RESOLVED = 'RESOLVED',
}

/** What a notification says about an alert: the words Alertmanager uses. */
export enum AlertEventStatus {
  FIRING = 'FIRING',
  RESOLVED = 'RESOLVED',
}

/**
 * Where alerts come from. Each is also the name a DISCOVERY key must allow
 * (`alerts:alertmanager`, `alerts:api`, or `alerts:*`) to write through it.
 */
export enum AlertSource {
  ALERTMANAGER = 'alertmanager',
  API = 'api',
}

/** The severity an alert gets when it names none, or one outside the vocabulary. */
export const DEFAULT_SEVERITY = SeverityEnum.WARNING;

registerEnumType(AlertStatus, {
  name: 'AlertStatus',
  description: 'Whether an alert still fires.',
  valuesMap: {
    ACTIVE: {
      description:
        'Firing: no resolved notification yet, its `endsAt` (if any) still ahead, and, for an Alertmanager alert with no known end, named by a notification within SVCMAP_ALERT_EXPIRE_AFTER_MS.',
    },
    RESOLVED: {
      description:
        'A resolved notification came, its `endsAt` has passed, or it expired: an Alertmanager alert with no known end that no notification named for SVCMAP_ALERT_EXPIRE_AFTER_MS (its resolution was lost).',
    },
  },
});

registerEnumType(AlertEventStatus, {
  name: 'AlertEventStatus',
  description: 'What a notification says about an alert.',
  valuesMap: {
    FIRING: { description: 'The alert fires.' },
    RESOLVED: { description: 'The alert has stopped firing.' },
  },
});

registerEnumType(AlertSource, {
  name: 'AlertSource',
  description: 'Through which intake an alert came.',
  valuesMap: {
    ALERTMANAGER: { description: 'The Prometheus Alertmanager webhook, POST /api/v1/alerts/alertmanager.' },
    API: { description: 'The generic intake: `ingestAlerts` or POST /api/v1/alerts.' },
  },
});
