import { registerEnumType } from '@nestjs/graphql';

export enum ImpactStateEnum {
  DOWN = 'DOWN',
  DEGRADED = 'DEGRADED',
}

export enum PriorityEnum {
  P1 = 'P1',
  P2 = 'P2',
  P3 = 'P3',
  P4 = 'P4',
  P5 = 'P5',
}

registerEnumType(ImpactStateEnum, {
  name: 'ImpactState',
  description: 'How an impacted CI fares. Healthy CIs are not in impact answers.',
  valuesMap: {
    DOWN: { description: 'Failed, or cannot work: a HARD dependency is down, or a redundancy group has too few members up.' },
    DEGRADED: { description: 'Works worse: a SOFT dependency is down, a dependency is degraded, or a group lost members but has enough up.' },
  },
});

registerEnumType(PriorityEnum, {
  name: 'Priority',
  description: 'Incident priority, P1 most urgent. Business priorities come from the documented score thresholds (docs/impact.md).',
  valuesMap: {
    P1: { description: 'Critical.' },
    P2: { description: 'High.' },
    P3: { description: 'Moderate.' },
    P4: { description: 'Low.' },
    P5: { description: 'Planning.' },
  },
});
