import { CiRecord } from '../topology/topology.types';
import { CIKind, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { OutgoingDependency, dependencyMapOf } from './impact.repository';

const ci = (key: string) => ({ key, kind: CIKind.SERVICE, name: key }) as CiRecord;
const calls = (to: string): OutgoingDependency => [to, DependencyType.CALLS, DependencyStrength.HARD];

describe('dependencyMapOf', () => {
  it('keeps the dependencies among the CIs of the map and is not truncated when each one is there', () => {
    const map = dependencyMapOf([ci('app'), ci('svc'), ci('db')], [[calls('svc'), calls('db')], [calls('db')], []], false);
    expect(map.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['app>svc', 'app>db', 'svc>db']);
    expect(map.edges[0]).toEqual({ from: 'app', to: 'svc', type: DependencyType.CALLS, strength: DependencyStrength.HARD });
    expect(map.truncated).toBe(false);
  });

  it('is truncated when a CI of the map depends on one left out (cut at the depth limit)', () => {
    // app at depth 1 of a walk of 1 hop: db, one hop further, is not in the map.
    const map = dependencyMapOf([ci('app'), ci('svc')], [[calls('svc')], [calls('db')]], false);
    expect(map.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['app>svc']);
    expect(map.truncated).toBe(true);
  });

  it('is truncated when the node limit cut it, even with no dependency left out', () => {
    expect(dependencyMapOf([ci('app')], [[]], true).truncated).toBe(true);
  });
});
