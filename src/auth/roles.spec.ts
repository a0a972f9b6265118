import { sourceAllowed } from './roles';

describe('sourceAllowed', () => {
  it('matches exact names and * patterns, and nothing else', () => {
    expect(sourceAllowed(['aws:*'], 'aws:123456789012')).toBe(true);
    expect(sourceAllowed(['aws:*'], 'k8s:prod')).toBe(false);
    expect(sourceAllowed(['k8s:prod-eu'], 'k8s:prod-eu')).toBe(true);
    expect(sourceAllowed(['k8s:prod-eu'], 'k8s:prod-eu-2')).toBe(false);
    expect(sourceAllowed(['*'], 'anything')).toBe(true);
    expect(sourceAllowed(['a.b'], 'axb')).toBe(false);
    expect(sourceAllowed([], 'aws:1')).toBe(false);
  });
});
