import { toCiModel } from '../../topology/models/ci.mapper';
import { CI } from '../../topology/models/ci.model';
import { ScoredBusinessImpact } from '../impact.service';
import { ImpactStateEnum, PriorityEnum } from '../impact.vocabulary';
import { BusinessImpact } from './blast-radius.model';

/**
 * A business impact as the API shows it. The CI model and the explaining
 * chain are built when a query selects them: a blast radius or a storm's
 * incidents may carry thousands of business impacts, and a query that asks
 * for scores and priorities should not pay for every chain.
 */
class BusinessImpactView implements BusinessImpact {
  private ciModel?: CI;

  constructor(private readonly impact: ScoredBusinessImpact) {}

  get ci(): CI {
    return (this.ciModel ??= toCiModel(this.impact.ci));
  }

  get state(): ImpactStateEnum {
    return this.impact.state as ImpactStateEnum;
  }

  get score(): number {
    return this.impact.score;
  }

  get priority(): PriorityEnum {
    return this.impact.priority as PriorityEnum;
  }

  get distance(): number {
    return this.impact.distance;
  }

  get chain(): string[] {
    return this.impact.chain;
  }

  get reason(): string {
    return this.impact.reason;
  }
}

export function toBusinessImpact(impact: ScoredBusinessImpact): BusinessImpact {
  return new BusinessImpactView(impact);
}
