import { toLedger } from './sync.repository';

describe('reading a stored ledger', () => {
  it('reads keys stored as text, a line per CI key and `from to` per dependency', () => {
    expect(
      toLedger({ id: 'l1', seq: 3, ciKeyLines: 'svc:a\nsvc:b', dependencyLines: 'svc:a db:main\nsvc:b svc:a' }),
    ).toEqual({ id: 'l1', seq: 3, ciKeys: ['svc:a', 'svc:b'], dependencyFrom: ['svc:a', 'svc:b'], dependencyTo: ['db:main', 'svc:a'] });
  });

  it('reads a ledger without CIs or without dependencies as empty lists', () => {
    expect(toLedger({ id: 'l2', seq: 1, dependencyLines: 'a b' })).toMatchObject({ ciKeys: [], dependencyFrom: ['a'], dependencyTo: ['b'] });
    expect(toLedger({ id: 'l3', seq: 1, ciKeyLines: 'a' })).toMatchObject({ ciKeys: ['a'], dependencyFrom: [], dependencyTo: [] });
  });

  it('still reads ledgers of earlier versions, which kept their keys as lists', () => {
    expect(toLedger({ id: 'l4', seq: 2, ciKeys: ['x'], dependencyFrom: ['x'], dependencyTo: ['y'] })).toEqual({
      id: 'l4',
      seq: 2,
      ciKeys: ['x'],
      dependencyFrom: ['x'],
      dependencyTo: ['y'],
    });
  });
});
