import { SourceSyncRecord } from '../sync.service';
import { SyncRecord, SyncReportRecord, SyncStatus, reportOf } from '../sync.types';
import { SourceSync, SyncModel, SyncReportModel } from './sync.model';

export function toReportModel(report: SyncReportRecord): SyncReportModel {
  return Object.assign(new SyncReportModel(), report, { committedAt: new Date(report.committedAt) });
}

export function toSyncModel(sync: SyncRecord): SyncModel {
  const report = reportOf(sync);
  return Object.assign(new SyncModel(), {
    id: sync.id,
    source: sync.source,
    scope: sync.scope,
    // A commit in progress is still open to clients: it has not taken effect yet.
    status: sync.status === 'COMMITTING' ? SyncStatus.OPEN : sync.status,
    startedAt: new Date(sync.startedAt),
    expiresAt: new Date(sync.expiresAt),
    finishedAt: sync.finishedAt ? new Date(sync.finishedAt) : null,
    startedBy: sync.startedBy,
    batches: sync.batches,
    items: sync.items,
    report: report && toReportModel(report),
  });
}

export function toSourceSyncModel(record: SourceSyncRecord): SourceSync {
  const report = record.lastSync && reportOf(record.lastSync);
  return Object.assign(new SourceSync(), {
    source: record.scope.source,
    scope: record.scope.scope,
    lastCommittedAt: record.scope.lastCommittedAt ? new Date(record.scope.lastCommittedAt) : null,
    lastSync: record.lastSync && toSyncModel(record.lastSync),
    lastReport: report && toReportModel(report),
    openSync: record.openSync && toSyncModel(record.openSync),
  });
}
