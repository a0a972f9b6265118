import { CIKind, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { ImportCollector, safeKey } from './import-result';

describe('safeKey', () => {
  it('escapes whitespace, control characters and % so distinct names stay distinct keys', () => {
    expect(safeKey('terraform:x/a.b["us east"]')).toBe('terraform:x/a.b["us%20east"]');
    expect(safeKey('k:50%')).toBe('k:50%25');
    expect(safeKey('k:tab\there')).toBe('k:tab%09here');
  });

  it('shortens a key past 256 characters to its start and a hash of the whole', () => {
    const long = `k8s:c/ns/configmap/${'x'.repeat(300)}`;
    const key = safeKey(long);
    expect(key).toHaveLength(256);
    expect(key.startsWith('k8s:c/ns/configmap/xxx')).toBe(true);
    expect(key).toMatch(/~[0-9a-f]{16}$/);
    expect(safeKey(`${long}y`)).not.toBe(key);
  });
});

describe('ImportCollector', () => {
  it('keeps the first definition, one edge per pair (harder strength wins), no self-edges, and drops edges to unknown CIs with a warning', () => {
    const out = new ImportCollector();
    out.addCi({ key: 'a', kind: CIKind.SERVICE, name: 'A', tags: ['z', 'a', 'z'], attributes: {} });
    out.addCi({ key: 'b', kind: CIKind.DATABASE, name: 'B' });
    out.addCi({ key: 'a', kind: CIKind.OTHER, name: 'again' });
    out.addCi({ key: 'has space', kind: CIKind.OTHER, name: 'x' });
    out.addDependency('a', 'b', DependencyType.READS_FROM, DependencyStrength.SOFT);
    out.addDependency('a', 'b', DependencyType.USES, DependencyStrength.HARD);
    out.addDependency('a', 'a', DependencyType.USES);
    out.addDependency('a', 'ghost', DependencyType.USES);
    expect(out.result()).toEqual({
      cis: [
        { key: 'a', kind: 'SERVICE', name: 'A', tags: ['a', 'z'] },
        { key: 'b', kind: 'DATABASE', name: 'B' },
      ],
      dependencies: [{ from: 'a', to: 'b', type: 'READS_FROM', strength: 'HARD' }],
      warnings: [
        'a is defined more than once; the first definition is kept',
        "skipped a OTHER with key 'has space': key must not contain whitespace or control characters (found U+0020 at position 3)",
        'dependency a -> ghost dropped: no CI ghost',
      ],
    });
  });
});
