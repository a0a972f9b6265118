import { BULK_CREATIONS, splitForStorage } from './history.repository';
import { ChangeEntity, ChangeOperation, NewChange } from './history.types';

const change = (operation: ChangeOperation, entity: ChangeEntity, key: string, to: string | null = null): NewChange => ({
  operation,
  entity,
  key,
  to,
  fields: [{ field: 'kind', from: null, to: 'HOST' }],
});
const creations = (entity: ChangeEntity, n: number, prefix = 'k') =>
  Array.from({ length: n }, (_, i) => change(ChangeOperation.CREATE, entity, `${prefix}${i}`, entity === ChangeEntity.DEPENDENCY ? `p${i}` : null));

describe('splitForStorage', () => {
  it('keeps a write below the bulk threshold as one node per change', () => {
    const changes = creations(ChangeEntity.CI, BULK_CREATIONS - 1);
    const { sets, single } = splitForStorage(changes);
    expect(sets).toEqual([]);
    expect(single).toEqual(changes);
  });

  it('puts the creations of an entity in one set from the threshold on, in their order', () => {
    const changes = creations(ChangeEntity.CI, BULK_CREATIONS);
    const { sets, single } = splitForStorage(changes);
    expect(sets).toEqual([{ entity: ChangeEntity.CI, items: changes }]);
    expect(single).toEqual([]);
  });

  it('decides per entity, and never puts updates or deletions in a set', () => {
    const cis = creations(ChangeEntity.CI, BULK_CREATIONS + 3);
    const dependencies = creations(ChangeEntity.DEPENDENCY, 2);
    const update = change(ChangeOperation.UPDATE, ChangeEntity.CI, 'k1');
    const deletion = change(ChangeOperation.DELETE, ChangeEntity.DEPENDENCY, 'k2', 'p2');
    const { sets, single } = splitForStorage([update, ...cis, ...dependencies, deletion]);
    expect(sets.map((s) => [s.entity, s.items.length])).toEqual([[ChangeEntity.CI, BULK_CREATIONS + 3]]);
    expect(single).toEqual([update, ...dependencies, deletion]);
  });

  it('makes a set of each entity when both are bulk', () => {
    const { sets, single } = splitForStorage([...creations(ChangeEntity.DEPENDENCY, BULK_CREATIONS), ...creations(ChangeEntity.CI, BULK_CREATIONS)]);
    expect(sets.map((s) => s.entity).sort()).toEqual([ChangeEntity.CI, ChangeEntity.DEPENDENCY]);
    expect(sets.every((s) => s.items.length === BULK_CREATIONS)).toBe(true);
    expect(single).toEqual([]);
  });
});
