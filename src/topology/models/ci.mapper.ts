import { CiRecord, DependencyWithEnds } from '../topology.types';
import { CI, Dependency } from './ci.model';

export function toCiModel(record: CiRecord): CI {
  const { createdBy, updatedBy, createdByPerson, createdAt, updatedAt, ...rest } = record;
  return Object.assign(new CI(), rest, {
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    provenance: { createdByPerson, createdBy, updatedBy },
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
    consumer: toCiModel(record.consumer),
    provider: toCiModel(record.provider),
  });
}
