import { GraphQLResolveInfo, Kind, SelectionNode } from 'graphql';
import { DomainError } from '../../common/errors/domain-error';
import { toCiModel } from '../../topology/models/ci.mapper';
import { CI } from '../../topology/models/ci.model';
import { CiRecord } from '../../topology/topology.types';
import { ScoredBusinessImpact } from '../impact.service';
import { ImpactStateEnum, PriorityEnum } from '../impact.vocabulary';
import { BusinessImpact } from './blast-radius.model';

/** Whole CI records of business impacts, by key: null when the query asks only for what scoring read. */
export type WholeCis = ReadonlyMap<string, CiRecord> | null;

/**
 * A business impact as the API shows it. The explaining chain is built when a
 * query selects it, and the CI model when it is read: a blast radius or a
 * storm's incidents may carry thousands of business impacts, and a query that
 * asks for scores and priorities should not pay for every chain or record.
 */
class BusinessImpactView implements BusinessImpact {
  private ciModel?: CI;

  constructor(
    private readonly impact: ScoredBusinessImpact,
    private readonly whole: WholeCis,
  ) {}

  get ci(): CI {
    return (this.ciModel ??= this.model());
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

  private model(): CI {
    const scored = this.impact.ci;
    if (!this.whole) return Object.assign(new CI(), scored);
    const record = this.whole.get(scored.key);
    if (!record) throw DomainError.notFound(`CI '${scored.key}' was deleted after this answer was computed`, { key: scored.key });
    return toCiModel(record);
  }
}

export function toBusinessImpact(impact: ScoredBusinessImpact, whole: WholeCis): BusinessImpact {
  return new BusinessImpactView(impact, whole);
}

/** The CI fields scoring reads (BusinessCi): a query asking for no others needs no record read. */
export const SCORED_CI_FIELDS: ReadonlySet<string> = new Set(['key', 'kind', 'name', 'criticality', 'revenuePerHour', 'usersAffected', '__typename']);

/**
 * Whether the query, below the field being resolved, selects nothing of a business impact's CI
 * (at `path`, e.g. ['businessImpacts', 'ci']) beyond SCORED_CI_FIELDS. A fragment anywhere on
 * the way or inside counts as more: the whole records are then read.
 */
export function selectsOnlyScoredCi(info: Pick<GraphQLResolveInfo, 'fieldNodes'>, path: readonly string[]): boolean {
  const within = (selections: readonly SelectionNode[], depth: number): boolean =>
    selections.every((selection) => {
      if (selection.kind !== Kind.FIELD) return false;
      if (depth === path.length) return SCORED_CI_FIELDS.has(selection.name.value);
      return selection.name.value !== path[depth] || within(selection.selectionSet?.selections ?? [], depth + 1);
    });
  return info.fieldNodes.every((node) => within(node.selectionSet?.selections ?? [], 0));
}

/**
 * The whole records the business impacts of an answer need for this query, in one read: none when
 * it asks only for what scoring read (selectsOnlyScoredCi).
 */
export async function wholeCisFor(
  info: Pick<GraphQLResolveInfo, 'fieldNodes'>,
  path: readonly string[],
  impacts: readonly ScoredBusinessImpact[],
  records: { findCis(keys: readonly string[]): Promise<Map<string, CiRecord>> },
): Promise<WholeCis> {
  if (!impacts.length || selectsOnlyScoredCi(info, path)) return null;
  return records.findCis([...new Set(impacts.map((impact) => impact.ci.key))]);
}
