import { Args, Info, Int, Mutation, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { CanRead } from '../auth/roles';
import { wholeCisFor } from '../impact/models/business-impact.mapper';
import { TopologyService } from '../topology/topology.service';
import { AlertInput } from './dto/alert.input';
import { toCorrelationResult, toRootCauseResult } from './models/root-cause.mapper';
import { CorrelationResult, RootCauseResult } from './models/root-cause.model';
import { RootCauseService } from './root-cause.service';

@Resolver()
export class RootCauseResolver {
  constructor(
    private readonly rootCauses: RootCauseService,
    private readonly topology: TopologyService,
  ) {}

  @CanRead()
  @Mutation(() => RootCauseResult, {
    description: 'Ranks the CIs whose failure best explains these alerts, with evidence. Reads only; a mutation so tools can send large storms.',
  })
  async rootCause(
    @Args('alerts', { type: () => [AlertInput], description: 'The alerts, at most SVCMAP_MAX_BATCH.' }) alerts: AlertInput[],
    @Args('maxCandidates', { type: () => Int, nullable: true, defaultValue: 10, description: 'How many candidates to return (1-100).' }) maxCandidates: number,
  ): Promise<RootCauseResult> {
    return toRootCauseResult(await this.rootCauses.rootCause(alerts, maxCandidates));
  }

  @CanRead()
  @Mutation(() => CorrelationResult, {
    description: 'Splits an alert storm into incidents by time and topology, each with its probable cause and business priority. Reads only.',
  })
  async correlateAlerts(
    @Args('alerts', { type: () => [AlertInput], description: 'The alerts, at most SVCMAP_MAX_BATCH.' }) alerts: AlertInput[],
    @Info() info: GraphQLResolveInfo,
  ): Promise<CorrelationResult> {
    const answer = await this.rootCauses.correlateAlerts(alerts);
    const impacts = answer.incidents.flatMap((i) => i.businessImpacts);
    return toCorrelationResult(answer, await wholeCisFor(info, ['incidents', 'businessImpacts', 'ci'], impacts, this.topology));
  }
}
