import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { CIKind, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { Claim, CurrentCi, computePlan, formatPlan, planHasChanges } from './plan-diff';

function current(key: string, fields: Partial<CurrentCi> = {}): CurrentCi {
  return {
    key,
    kind: 'SERVICE',
    name: key,
    description: null,
    owner: null,
    environment: null,
    tags: [],
    attributes: {},
    criticality: null,
    revenuePerHour: null,
    usersAffected: null,
    minHealthy: null,
    status: 'ACTIVE',
    sources: [],
    dependencies: [],
    dependents: [],
    ...fields,
  };
}

const SOURCE = 'topology-file:t';
const claim = (source = SOURCE, scope: string | null = null, pending = false): Claim => ({ source, scope, pending });
const dep = (to: string, type = 'USES', strength = 'HARD', sources: Claim[] = [claim()]) => ({ to, type, strength, sources });

const ci = (key: string, fields: Partial<CIInput> = {}) => ({ key, kind: CIKind.SERVICE, ...fields }) as CIInput;

describe('computePlan', () => {
  const desired = {
    cis: [
      ci('svc:new', { name: 'New' }),
      ci('svc:same', { owner: 'team-a', tags: ['b', 'a'], attributes: { x: 1, y: 'z' } }),
      ci('svc:moved', { owner: 'team-b', description: 'now documented' }),
      ci('svc:back'),
    ],
    dependencies: [
      { from: 'svc:same', to: 'svc:moved' },
      { from: 'svc:moved', to: 'svc:back', type: DependencyType.CALLS, strength: DependencyStrength.SOFT },
      { from: 'svc:new', to: 'db:elsewhere' },
      { from: 'svc:new', to: 'db:nowhere' },
    ] as DependencyInput[],
  };
  const map = new Map<string, CurrentCi | null>([
    ['svc:new', null],
    ['svc:same', current('svc:same', { owner: 'team-a', tags: ['a', 'b'], attributes: { y: 'z', x: 1 }, sources: [claim()], dependencies: [dep('svc:moved')] })],
    ['svc:moved', current('svc:moved', { owner: 'team-a', sources: [claim()], dependencies: [dep('svc:back', 'CALLS')] })],
    ['svc:back', current('svc:back', { status: 'STALE' })],
    ['db:elsewhere', current('db:elsewhere', { kind: 'DATABASE' })],
    ['db:nowhere', null],
  ]);

  it('lists creates and field-by-field changes, ignoring order of tags and attributes, and revives stale CIs', () => {
    const plan = computePlan(SOURCE, null, desired, map);
    expect(plan.cis.create.map((c) => c.key)).toEqual(['svc:new']);
    expect(plan.cis.change).toEqual([
      {
        key: 'svc:moved',
        changes: [
          { field: 'description', from: null, to: 'now documented' },
          { field: 'owner', from: 'team-a', to: 'team-b' },
        ],
      },
      { key: 'svc:back', changes: [{ field: 'status', from: 'STALE', to: 'ACTIVE' }] },
    ]);
    expect(plan.dependencies.create).toEqual([
      { from: 'svc:new', to: 'db:elsewhere', type: 'USES', strength: 'HARD' },
      { from: 'svc:new', to: 'db:nowhere', type: 'USES', strength: 'HARD' },
    ]);
    expect(plan.dependencies.change).toEqual([{ from: 'svc:moved', to: 'svc:back', changes: [{ field: 'strength', from: 'HARD', to: 'SOFT' }] }]);
    expect(plan.unknownEnds).toEqual([{ from: 'svc:new', to: 'db:nowhere', missing: 'db:nowhere' }]);
    expect(plan.cis.remove).toEqual([]);
  });

  it('removes what this source and scope report now and the files no longer hold, and nothing that only others report', () => {
    const withOthers = new Map(map);
    withOthers.set('svc:gone', current('svc:gone', { sources: [claim()], dependencies: [dep('svc:same')] }));
    withOthers.set('svc:also-gone', current('svc:also-gone', { sources: [claim(), claim('k8s:prod')] }));
    withOthers.set('svc:other-scope', current('svc:other-scope', { sources: [claim(SOURCE, 'eu')] }));
    withOthers.set('svc:pending', current('svc:pending', { sources: [claim(SOURCE, null, true)] }));
    withOthers.set('svc:theirs', current('svc:theirs', { sources: [claim('k8s:prod')], dependencies: [dep('svc:same', 'USES', 'HARD', [claim('k8s:prod')])] }));
    const plan = computePlan(SOURCE, null, desired, withOthers);
    expect(plan.cis.remove).toEqual(['svc:also-gone', 'svc:gone']);
    expect(plan.dependencies.remove).toEqual([{ from: 'svc:gone', to: 'svc:same' }]);
    expect(computePlan(SOURCE, 'eu', desired, withOthers).cis.remove).toEqual(['svc:other-scope']);
  });

  it('says so when nothing would change', () => {
    const plan = computePlan(SOURCE, null, { cis: [ci('svc:same', { owner: 'team-a' })], dependencies: [{ from: 'svc:same', to: 'svc:moved' } as DependencyInput] }, new Map([['svc:same', map.get('svc:same')!], ['svc:moved', current('svc:moved')]]));
    expect(planHasChanges(plan)).toBe(false);
    expect(formatPlan(plan, ['t.yaml'])).toEqual([
      'topology-file:t (t.yaml)',
      '  no changes: the map matches the files',
      '  0 CIs to create, 0 to change, 0 to remove; 0 dependencies to create, 0 to change, 0 to remove',
    ]);
  });

  it('prints one line per change', () => {
    const withGone = new Map(map);
    withGone.set('svc:gone', current('svc:gone', { sources: [claim()], dependencies: [dep('svc:same')] }));
    const plan = computePlan(SOURCE, null, desired, withGone);
    expect(formatPlan(plan, ['a.yaml', 'b.yaml'])).toEqual([
      'topology-file:t (a.yaml, b.yaml)',
      '  + svc:new (service "New")',
      '  ~ svc:moved: description (none) -> "now documented", owner "team-a" -> "team-b"',
      '  ~ svc:back: status STALE -> ACTIVE',
      '  - svc:gone (no longer in the files: becomes stale unless another source reports it)',
      '  + svc:new -> db:elsewhere (uses, hard)',
      '  + svc:new -> db:nowhere (uses, hard)',
      '  ~ svc:moved -> svc:back: strength hard -> soft',
      '  - svc:gone -> svc:same (no longer in the files: becomes stale unless another source reports it)',
      '  ! svc:new -> db:nowhere: db:nowhere is neither in the files nor in the map; apply would be refused',
      '  1 CI to create, 2 to change, 1 to remove; 2 dependencies to create, 1 to change, 1 to remove',
    ]);
  });

  it('names where a dependency on a CI that exists nowhere is written', () => {
    const at = (line: number, path: string) => ({ file: 'a.yaml', line, path });
    const located = { ...desired, dependencyLocations: [at(3, 'cis[1].dependsOn[0]'), at(9, 'cis[2].dependsOn[0]'), at(12, 'dependencies[0]'), at(13, 'dependencies[1]')] };
    const plan = computePlan(SOURCE, null, located, map);
    expect(plan.unknownEnds).toEqual([{ from: 'svc:new', to: 'db:nowhere', missing: 'db:nowhere', at: 'a.yaml:13 dependencies[1]' }]);
    expect(formatPlan(plan, ['a.yaml'])).toContain(
      '  ! svc:new -> db:nowhere (a.yaml:13 dependencies[1]): db:nowhere is neither in the files nor in the map; apply would be refused',
    );
  });

  it('plans a source no file names, for --prune, as the removal of everything it reports', () => {
    const gone = new Map<string, CurrentCi | null>([
      ['svc:a', current('svc:a', { sources: [claim('topology-file:old')], dependencies: [dep('svc:b', 'USES', 'HARD', [claim('topology-file:old')])] })],
      ['svc:b', current('svc:b', { sources: [claim('topology-file:old'), claim('k8s:prod')] })],
    ]);
    const plan = { ...computePlan('topology-file:old', null, { cis: [], dependencies: [] }, gone), pruned: true };
    expect(formatPlan(plan, [])).toEqual([
      'topology-file:old (no file given names it: --prune removes what it reports)',
      '  - svc:a (no longer in the files: becomes stale unless another source reports it)',
      '  - svc:b (no longer in the files: becomes stale unless another source reports it)',
      '  - svc:a -> svc:b (no longer in the files: becomes stale unless another source reports it)',
      '  0 CIs to create, 0 to change, 2 to remove; 0 dependencies to create, 0 to change, 1 to remove',
    ]);
    expect(formatPlan({ ...computePlan('topology-file:old', null, { cis: [], dependencies: [] }, new Map()), pruned: true }, [])[1]).toBe(
      '  nothing it reports was found in the map',
    );
  });
});
