import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { Actor } from '../common/actor';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { TopologyService } from '../topology/topology.service';
import { parseTopologyFile } from './topology-file';

/** Counts over CIs and dependencies together. */
export interface SeedOutcome {
  cis: number;
  dependencies: number;
  created: number;
  updated: number;
  unchanged: number;
}

const SEED_ACTOR: Actor = { name: 'seed', person: true };

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Loads the configured topology file into an empty graph, so a first start shows a real map. */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly topology: TopologyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedFile) return;
    if ((await this.topology.countCis()) > 0) {
      this.logger.log('Graph is not empty; seed file not loaded');
      return;
    }
    const { cis, dependencies } = await this.loadFile(this.config.seedFile);
    this.logger.log(`Loaded seed ${this.config.seedFile}: ${cis} CIs, ${dependencies} dependencies`);
  }

  /** Upserts a topology file; idempotent, so loading it twice changes nothing. */
  async loadFile(path: string, actor: Actor = SEED_ACTOR): Promise<SeedOutcome> {
    const document = parseTopologyFile(await readFile(path, 'utf8'), path);
    const source = `topology-file:${document.name}`;
    const batch = this.config.limits.maxBatchSize;
    const outcome: SeedOutcome = { cis: document.cis.length, dependencies: document.dependencies.length, created: 0, updated: 0, unchanged: 0 };
    const add = (result: { created: number; updated: number; unchanged: number }) => {
      outcome.created += result.created;
      outcome.updated += result.updated;
      outcome.unchanged += result.unchanged;
    };
    for (const part of chunks(document.cis, batch)) add(await this.topology.upsertCis(part, actor, source));
    for (const part of chunks(document.dependencies, batch)) add(await this.topology.upsertDependencies(part, actor, source));
    return outcome;
  }
}
