import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Neo4jError } from 'neo4j-driver';
import { Neo4jService } from './neo4j.service';

/**
 * Constraints and indexes, applied at start-up with IF NOT EXISTS so every
 * replica can run them and a restart is harmless. Each index names the
 * lookup that needs it.
 */
export const SCHEMA_STATEMENTS: readonly string[] = [
  // Identity: ci(key), every MERGE and every dependency endpoint lookup.
  'CREATE CONSTRAINT ci_key_unique IF NOT EXISTS FOR (n:CI) REQUIRE n.key IS UNIQUE',
  // cis(filter) by kind, owner, environment, status; ordering by key uses the constraint's index.
  'CREATE INDEX ci_kind IF NOT EXISTS FOR (n:CI) ON (n.kind)',
  'CREATE INDEX ci_owner IF NOT EXISTS FOR (n:CI) ON (n.owner)',
  'CREATE INDEX ci_environment IF NOT EXISTS FOR (n:CI) ON (n.environment)',
  'CREATE INDEX ci_status IF NOT EXISTS FOR (n:CI) ON (n.status)',
  // cis(filter: {search}) is a CONTAINS on the lower-cased key and name.
  'CREATE TEXT INDEX ci_search_text IF NOT EXISTS FOR (n:CI) ON (n.searchText)',
  // History: CI.history by key, changes(...) newest first by time, by actor, by source.
  'CREATE INDEX change_key IF NOT EXISTS FOR (c:Change) ON (c.key)',
  'CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at)',
  'CREATE INDEX change_actor IF NOT EXISTS FOR (c:Change) ON (c.actor)',
  'CREATE INDEX change_source IF NOT EXISTS FOR (c:Change) ON (c.source)',
  // Creations, one set per write and entity (see history.repository.ts): by id, time, actor, source.
  'CREATE CONSTRAINT change_set_id_unique IF NOT EXISTS FOR (s:ChangeSet) REQUIRE s.id IS UNIQUE',
  'CREATE INDEX change_set_at IF NOT EXISTS FOR (s:ChangeSet) ON (s.at)',
  'CREATE INDEX change_set_actor IF NOT EXISTS FOR (s:ChangeSet) ON (s.actor)',
  'CREATE INDEX change_set_source IF NOT EXISTS FOR (s:ChangeSet) ON (s.source)',
  // Alerts: identity `<source>:<fingerprint>` (every intake MERGEs on it); alerts(...) newest first by
  // startsAt, filtered by CI and status.
  'CREATE CONSTRAINT alert_id_unique IF NOT EXISTS FOR (a:Alert) REQUIRE a.id IS UNIQUE',
  'CREATE INDEX alert_starts_at IF NOT EXISTS FOR (a:Alert) ON (a.startsAt)',
  'CREATE INDEX alert_key IF NOT EXISTS FOR (a:Alert) ON (a.key)',
  'CREATE INDEX alert_status IF NOT EXISTS FOR (a:Alert) ON (a.status)',
  // Discovery syncs: a sync by id, open ones by status; one scope node per (source, scope);
  // ledgers of what each batch reported, by scope, bucket and seq (commit) and by sync (clean-up);
  // revivals (STALE items a sync reported again) by sync;
  // aliases and identifiers that name a CI; stale dependencies for the retirement sweep.
  'CREATE CONSTRAINT sync_id_unique IF NOT EXISTS FOR (s:Sync) REQUIRE s.id IS UNIQUE',
  'CREATE INDEX sync_status IF NOT EXISTS FOR (s:Sync) ON (s.status)',
  'CREATE CONSTRAINT sync_scope_key_unique IF NOT EXISTS FOR (c:SyncScope) REQUIRE c.key IS UNIQUE',
  'CREATE CONSTRAINT sync_ledger_id_unique IF NOT EXISTS FOR (l:SyncLedger) REQUIRE l.id IS UNIQUE',
  'CREATE INDEX sync_ledger_scope_bucket IF NOT EXISTS FOR (l:SyncLedger) ON (l.scopeKey, l.bucket, l.seq)',
  'CREATE INDEX sync_ledger_sync IF NOT EXISTS FOR (l:SyncLedger) ON (l.syncId)',
  'CREATE CONSTRAINT sync_revival_id_unique IF NOT EXISTS FOR (r:SyncRevival) REQUIRE r.id IS UNIQUE',
  'CREATE INDEX sync_revival_sync IF NOT EXISTS FOR (r:SyncRevival) ON (r.syncId)',
  'CREATE CONSTRAINT ci_alias_key_unique IF NOT EXISTS FOR (a:CIAlias) REQUIRE a.key IS UNIQUE',
  'CREATE CONSTRAINT ci_identifier_id_unique IF NOT EXISTS FOR (x:CIIdentifier) REQUIRE x.id IS UNIQUE',
  'CREATE INDEX depends_on_status IF NOT EXISTS FOR ()-[r:DEPENDS_ON]-() ON (r.status)',
  // Authentication looks keys up by the hash of the secret; names identify keys to people.
  'CREATE CONSTRAINT api_key_hash_unique IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE',
  'CREATE CONSTRAINT api_key_name_unique IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.name IS UNIQUE',
  'CREATE CONSTRAINT api_key_bootstrap_unique IF NOT EXISTS FOR (b:ApiKeyBootstrap) REQUIRE b.id IS UNIQUE',
];

const SCHEMA_RULE_EXISTS = new Set([
  'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
  'Neo.ClientError.Schema.IndexAlreadyExists',
  'Neo.ClientError.Schema.ConstraintAlreadyExists',
]);

@Injectable()
export class SchemaService implements OnModuleInit {
  private readonly logger = new Logger(SchemaService.name);
  private applied = false;

  constructor(private readonly neo4j: Neo4jService) {}

  get isApplied(): boolean {
    return this.applied;
  }

  async onModuleInit(): Promise<void> {
    await this.neo4j.waitUntilAvailable();
    await this.apply();
  }

  async apply(): Promise<void> {
    // Schema statements cannot share a transaction with each other's data, so one each.
    for (const statement of SCHEMA_STATEMENTS) {
      try {
        await this.neo4j.write('schema.apply', (tx) => tx.run(statement));
      } catch (error) {
        // IF NOT EXISTS checks before it creates: a replica starting at the same moment can win
        // that race, and then this one is told the rule exists, which is what it wanted.
        if (!(error instanceof Neo4jError && SCHEMA_RULE_EXISTS.has(error.code))) throw error;
      }
    }
    await this.neo4j.read('schema.await', (tx) => tx.run('CALL db.awaitIndexes(60)'));
    this.applied = true;
    this.logger.log(`Schema applied (${SCHEMA_STATEMENTS.length} constraints and indexes)`);
  }
}
