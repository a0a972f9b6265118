import { MAX_OPERATION_NAMES, MetricsService } from './metrics.service';

describe('MetricsService', () => {
  it('labels operations by name, "anonymous" without one, and "other" for odd names or past the cap', () => {
    const metrics = new MetricsService();
    expect(metrics.operationLabel(undefined)).toBe('anonymous');
    expect(metrics.operationLabel('')).toBe('anonymous');
    expect(metrics.operationLabel('ImpactOf')).toBe('ImpactOf');
    expect(metrics.operationLabel('not a name')).toBe('other');
    expect(metrics.operationLabel('x'.repeat(101))).toBe('other');
    for (let i = 1; i < MAX_OPERATION_NAMES; i++) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`);
    expect(metrics.operationLabel('OneTooMany')).toBe('other');
    // Names seen before the cap keep their label.
    expect(metrics.operationLabel('ImpactOf')).toBe('ImpactOf');
  });

  it('records Neo4j units of work reported to it as a QueryObserver', async () => {
    const metrics = new MetricsService();
    metrics.observeQuery({ query: 'topology.upsertCIs', mode: 'WRITE', outcome: 'success', durationSeconds: 0.02 });
    const text = await metrics.render();
    expect(text).toMatch(/^svcmap_neo4j_query_duration_seconds_count\{query="topology.upsertCIs",mode="WRITE",outcome="success"\} 1$/m);
    expect(text).toMatch(/^svcmap_neo4j_query_duration_seconds_bucket\{le="0.025",query="topology.upsertCIs",mode="WRITE",outcome="success"\} 1$/m);
  });
});
