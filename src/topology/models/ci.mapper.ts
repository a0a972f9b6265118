import { CiRecord, DependencyWithEnds } from '../topology.types';
import { CI, Dependency } from './ci.model';

export function toCiModel(record: CiRecord): CI {
  const { createdBy, updatedBy, createdByPerson, createdAt, updatedAt, ...rest } = record;
  return Object.assign(new CI(), rest, {
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    provenance: { createdByPerson, createdBy, updatedBy, sync: record.sync },
  });
}

export function toDependencyModel(record: DependencyWithEnds): Dependency {
  return Object.assign(new Dependency(), {
    from: record.from,
    to: record.to,
    type: record.type,
    strength: record.strength,
    version: record.version,
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(record.updatedAt),
    status: record.status,
    provenance: {
      createdByPerson: record.createdByPerson ?? false,
      createdBy: record.createdBy ?? null,
      updatedBy: record.updatedBy ?? null,
      sync: record.sync,
    },
    consumer: toCiModel(record.consumer),
    provider: toCiModel(record.provider),
  });
}
