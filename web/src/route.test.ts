import { describe, expect, it } from 'vitest';
import { canEdit } from './model';
import { formatRoute, modeFor, parseRoute } from './route';

describe('routes', () => {
  it('round-trips keys with any characters through the address', () => {
    for (const key of ['bf:online-payments', 'k8s:prod/payments/deployment/api', 't-x:a b#c%d']) {
      expect(parseRoute(formatRoute({ mode: 'service', key }))).toEqual({ mode: 'service', key });
    }
  });

  it('ignores addresses that name no map', () => {
    expect(parseRoute('')).toBeNull();
    expect(parseRoute('#/nonsense/x')).toBeNull();
    expect(parseRoute('#/service/%E0%A4%A')).toBeNull();
  });

  it('opens business CIs as service maps and the rest as what they depend on', () => {
    expect(modeFor('BUSINESS_FUNCTION')).toBe('service');
    expect(modeFor('BUSINESS_SERVICE')).toBe('service');
    expect(modeFor('DATABASE')).toBe('upstream');
  });

  it('offers edits to architects and admins only', () => {
    expect(['READER', 'ARCHITECT', 'DISCOVERY', 'ADMIN', undefined].map(canEdit)).toEqual([false, true, false, true, false]);
  });
});
