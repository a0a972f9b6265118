import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_KEY_RULES, FILTERS, applyTemplate, chooseKey, hostOf, keyCandidates, parseKeyRules } from './label-mapping';

const keys = (labels: Record<string, string>, explicit: string | null = null) =>
  keyCandidates(labels, DEFAULT_KEY_RULES, explicit).map((c) => `${c.via === 'KEY' ? 'key' : 'id'}=${c.value}`);

describe('label to CI key mapping', () => {
  it('tries ci_key, then service, as they are', () => {
    expect(keys({ ci_key: 'db:payments-ledger', service: 'checkout' })).toEqual(['key=db:payments-ledger', 'key=checkout']);
    expect(keys({ service: 'svc:checkout' })).toEqual(['key=svc:checkout']);
  });

  it('puts an explicitly given key first and never repeats a candidate', () => {
    expect(keys({ ci_key: 'svc:a', service: 'svc:a' }, 'svc:a')).toEqual(['key=svc:a']);
    expect(keys({ service: 'svc:b' }, 'svc:a')).toEqual(['key=svc:a', 'key=svc:b']);
  });

  it('maps instance to a hostname identifier and a host key, without the port', () => {
    expect(keys({ instance: 'db-01.internal:9100' })).toEqual(['id=hostname:db-01.internal', 'key=host:db-01.internal']);
    expect(keys({ instance: 'https://server.example.org' })).toEqual(['id=hostname:server.example.org', 'key=host:server.example.org']);
  });

  it('strips ports from every kind of instance, and leaves bare IPv6 alone', () => {
    expect(hostOf('web-1:9100')).toBe('web-1');
    expect(hostOf('10.0.3.7:8080')).toBe('10.0.3.7');
    expect(hostOf('[2001:db8::1]:9100')).toBe('2001:db8::1');
    expect(hostOf('2001:db8::1')).toBe('2001:db8::1');
    expect(hostOf('http://user@web-1.example.com:8080/metrics?x=1')).toBe('web-1.example.com');
    expect(hostOf('web-1')).toBe('web-1');
    expect(hostOf(':9100')).toBeNull();
  });

  it('maps a Deployment pod to its deployment, with the cluster and namespace', () => {
    expect(keys({ cluster: 'prod-eu', namespace: 'shop', pod: 'checkout-7d4b9c8f6-x2kq9' })).toEqual(['key=k8s:prod-eu/shop/deployment/checkout']);
    expect(keys({ cluster: 'prod-eu', namespace: 'shop', pod: 'cart-api-v2-5f6d7c9b84-mz2pq' })).toEqual(['key=k8s:prod-eu/shop/deployment/cart-api-v2']);
  });

  it('maps StatefulSet and DaemonSet pods, and workload labels of kube-state-metrics', () => {
    expect(keys({ cluster: 'c', namespace: 'data', pod: 'postgres-2' })).toEqual(['key=k8s:c/data/statefulset/postgres']);
    expect(keys({ cluster: 'c', namespace: 'mon', pod: 'node-exporter-x2kq9' })).toEqual(['key=k8s:c/mon/daemonset/node-exporter']);
    expect(keys({ cluster: 'c', namespace: 'shop', deployment: 'checkout' })).toEqual(['key=k8s:c/shop/deployment/checkout']);
  });

  it('tries the pod before the instance: kube-state-metrics alerts carry the scraper as instance', () => {
    expect(keys({ cluster: 'c', namespace: 'shop', pod: 'checkout-7d4b9c8f6-x2kq9', instance: '10.2.0.15:8080' })).toEqual([
      'key=k8s:c/shop/deployment/checkout',
      'id=hostname:10.2.0.15',
      'key=host:10.2.0.15',
    ]);
  });

  it('yields no workload without a cluster label, nor for pod names of no known shape', () => {
    expect(keys({ namespace: 'shop', pod: 'checkout-7d4b9c8f6-x2kq9' })).toEqual([]);
    expect(keys({ cluster: 'c', namespace: 'shop', pod: 'standalone' })).toEqual([]);
    expect(FILTERS.daemonset('checkout-7d4b9c8f6-x2kq9')).toBeNull();
  });

  it('treats missing and empty labels alike, and unknown labels as nothing', () => {
    expect(keys({ service: '', instance: '' })).toEqual([]);
    expect(keys({ alertname: 'Watchdog', team: 'sre' })).toEqual([]);
    expect(applyTemplate('k8s:{cluster}/{namespace}', { cluster: 'c' })).toBeNull();
  });

  it('chooses the first candidate that names a CI; aliases and identifiers name the CI they belong to', () => {
    const candidates = keyCandidates({ service: 'checkout', instance: 'web-1:9100' }, DEFAULT_KEY_RULES);
    const none = { keys: new Set<string>(), aliases: new Map<string, string>(), identifiers: new Map<string, string>() };
    expect(chooseKey(candidates, { ...none, keys: new Set(['host:web-1']) })).toBe('host:web-1');
    expect(chooseKey(candidates, { ...none, keys: new Set(['host:web-1']), identifiers: new Map([['hostname:web-1', 'vm:web-1']]) })).toBe('vm:web-1');
    expect(chooseKey(candidates, { ...none, keys: new Set(['checkout', 'host:web-1']) })).toBe('checkout');
    expect(chooseKey(candidates, { ...none, aliases: new Map([['checkout', 'svc:checkout']]) })).toBe('svc:checkout');
    expect(chooseKey(candidates, none)).toBeNull();
  });

  describe('SVCMAP_ALERT_KEY_LABELS', () => {
    it('defaults when unset or empty', () => {
      expect(parseKeyRules(undefined)).toEqual(DEFAULT_KEY_RULES);
      expect(parseKeyRules('  ')).toEqual(DEFAULT_KEY_RULES);
    });

    it('takes rules with templates and filters', () => {
      const rules = parseKeyRules('[{"key": "svc:{app|lower}"}, {"identifier": "ip:{instance|host}"}]');
      expect(rules).toEqual([
        { via: 'KEY', template: 'svc:{app|lower}' },
        { via: 'IDENTIFIER', template: 'ip:{instance|host}' },
      ]);
      expect(keyCandidates({ app: 'Checkout', instance: '10.0.0.1:80' }, rules)).toEqual([
        { via: 'KEY', value: 'svc:checkout' },
        { via: 'IDENTIFIER', value: 'ip:10.0.0.1' },
      ]);
    });

    it.each([
      ['not json', 'must be JSON', 'SVCMAP_ALERT_KEY_LABELS'],
      ['{}', 'must be a JSON list', 'SVCMAP_ALERT_KEY_LABELS'],
      ['[]', 'must be a JSON list', 'SVCMAP_ALERT_KEY_LABELS'],
      ['[{"key": "x", "identifier": "y"}]', 'exactly one', 'SVCMAP_ALERT_KEY_LABELS[0]'],
      ['[{"key": "{ci_key}"}, {"key": "svc:fixed"}]', 'at least one label', 'SVCMAP_ALERT_KEY_LABELS[1].key'],
      ['[{"key": "{app|upper}"}]', "'upper' is not a filter", 'SVCMAP_ALERT_KEY_LABELS[0].key'],
      ['[{"key": "{app"}]', 'unbalanced', 'SVCMAP_ALERT_KEY_LABELS[0].key'],
      ['[{"identifier": 42}]', 'must be a template', 'SVCMAP_ALERT_KEY_LABELS[0].identifier'],
    ])('refuses %s, naming the rule', (json, message, field) => {
      const error = (() => {
        try {
          parseKeyRules(json);
        } catch (e) {
          return e as DomainError;
        }
        throw new Error('accepted');
      })();
      expect(error).toBeInstanceOf(DomainError);
      expect(error.message).toContain(message);
      expect(error.details.field).toBe(field);
    });
  });
});
