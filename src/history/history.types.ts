import { registerEnumType } from '@nestjs/graphql';
import { FieldChange } from '../topology/topology.types';

export enum ChangeOperation {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
}

export enum ChangeEntity {
  CI = 'CI',
  DEPENDENCY = 'DEPENDENCY',
}

registerEnumType(ChangeOperation, {
  name: 'ChangeOperation',
  description: 'What a change did.',
  valuesMap: {
    CREATE: { description: 'Created the CI or dependency.' },
    UPDATE: { description: 'Changed some of its fields.' },
    DELETE: { description: 'Deleted it; `fields` hold its last values.' },
  },
});
registerEnumType(ChangeEntity, {
  name: 'ChangeEntity',
  description: 'What a change was made to.',
  valuesMap: {
    CI: { description: 'A configuration item.' },
    DEPENDENCY: { description: 'A dependency; `key` is its consumer and `to` its provider.' },
  },
});

/** One recorded change, as stored. */
export interface ChangeRecord {
  id: string;
  at: string;
  actor: string;
  source: string;
  operation: ChangeOperation;
  entity: ChangeEntity;
  /** The CI, or the consumer of a dependency. */
  key: string;
  /** The provider of a dependency; null for CI changes. */
  to: string | null;
  fields: FieldChange[];
}

/** A change before it is stored: id and time are added on write. */
export type NewChange = Omit<ChangeRecord, 'id' | 'at' | 'actor' | 'source'>;

export interface ChangeFilter {
  since?: Date;
  until?: Date;
  actor?: string;
  source?: string;
  keys?: string[];
}
