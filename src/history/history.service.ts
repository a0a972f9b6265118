import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { problemsOf } from '../common/validation/validate-input';
import { ChangeFilterInput } from './dto/change-filter.input';
import { HistoryRepository } from './history.repository';
import { ChangeFilter, ChangeRecord } from './history.types';

export interface ChangePage {
  items: ChangeRecord[];
  total: number;
  hasNextPage: boolean;
}

export function encodeChangeCursor(change: Pick<ChangeRecord, 'at' | 'id'>): string {
  return Buffer.from(JSON.stringify([change.at, change.id]), 'utf8').toString('base64url');
}

export function decodeChangeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // fall through to the error below
  }
  throw DomainError.badInput([{ path: 'after', message: 'is not a cursor returned by this API' }]);
}

/** Reads the change log that every topology write appends to in its own transaction. */
@Injectable()
export class HistoryService {
  constructor(
    private readonly repository: HistoryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether any CI changed within [since, until). */
  anyChangeBetween(since: Date, until: Date): Promise<boolean> {
    return this.repository.anyChangeBetween(since.toISOString(), until.toISOString());
  }

  /** Recent changes per CI, for root cause's "changed recently" evidence. */
  recentChanges(keys: readonly string[], since: Date, until: Date, perKey = 5): Promise<Map<string, ChangeRecord[]>> {
    return this.repository.recentChanges(keys, since.toISOString(), until.toISOString(), perKey);
  }

  async list(filter: ChangeFilter, first: number | undefined, after: string | undefined): Promise<ChangePage> {
    const problems = problemsOf(ChangeFilterInput, filter, 'filter');
    const limit = first ?? 50;
    if (!Number.isInteger(limit) || limit < 0 || limit > this.config.limits.maxPageSize) {
      problems.push({ path: 'first', message: `must be from 0 to ${this.config.limits.maxPageSize}` });
    }
    if (problems.length) throw DomainError.badInput(problems);
    const position = after ? decodeChangeCursor(after) : null;
    const { items, total } = await this.repository.list(filter, position, limit + 1);
    return { items: items.slice(0, limit), total, hasNextPage: items.length > limit };
  }
}
