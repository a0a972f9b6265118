import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { AppConfig } from './common/config/app-config';
import { DomainErrorFilter } from './common/errors/domain-error.filter';
import { DiscoveryModule } from './discovery/discovery.module';
import { formatGraphqlError } from './common/errors/graphql-error-formatter';
import { maxAliasesRule, maxDepthRule } from './common/graphql/query-limits';
import { queryCostPlugin } from './common/graphql/query-limits.plugin';
import { describeRootTypes } from './common/graphql/root-descriptions';
import { requestContextPlugin } from './common/graphql/request-context.plugin';
import { HistoryModule } from './history/history.module';
import { ImpactModule } from './impact/impact.module';
import { RootCauseModule } from './root-cause/root-cause.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './observability/metrics.module';
import { TopologyAsCodeModule } from './topology-as-code/topology-as-code.module';
import { TopologyModule } from './topology/topology.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config),
        MetricsModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          transformSchema: describeRootTypes,
          playground: false,
          introspection: true,
          includeStacktraceInErrorResponses: false,
          // Bounds the CPU a single huge document can cost before any validation rule sees it.
          parseOptions: { maxTokens: 20_000 },
          plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true }), requestContextPlugin, queryCostPlugin(config.limits.maxQueryCost)],
          validationRules: [maxDepthRule(config.limits.maxQueryDepth), maxAliasesRule(config.limits.maxAliases)],
          formatError: formatGraphqlError,
          context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
        }),
        AuthModule,
        TopologyModule,
        HistoryModule,
        DiscoveryModule,
        ImpactModule,
        RootCauseModule,
        TopologyAsCodeModule,
        AlertsModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }
}
