import { registerEnumType } from '@nestjs/graphql';

export enum SeverityEnum {
  CRITICAL = 'CRITICAL',
  MAJOR = 'MAJOR',
  MINOR = 'MINOR',
  WARNING = 'WARNING',
  INFO = 'INFO',
}

registerEnumType(SeverityEnum, {
  name: 'Severity',
  description: 'How severe an alert is; weighs how much explaining it counts (docs/root-cause.md).',
  valuesMap: {
    CRITICAL: { description: 'Service down or data at risk.' },
    MAJOR: { description: 'Serious degradation.' },
    MINOR: { description: 'Limited degradation.' },
    WARNING: { description: 'Something to look at.' },
    INFO: { description: 'For information.' },
  },
});
