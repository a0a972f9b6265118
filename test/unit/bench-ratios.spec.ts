import { withRatios } from '../../bench/operations';

const summary = (medianMs: number) => ({ runs: 5, medianMs, p99Ms: medianMs, minMs: medianMs, maxMs: medianMs });

describe('withRatios: the blast-radius baselines against the API', () => {
  it("adds the API's p50 over each baseline's, by key, and leaves other rows alone", () => {
    const rows = withRatios([
      { section: 'operations', name: 'blastRadius, shared (dns:internal)', summary: summary(80), note: '37079 impacted' },
      { section: 'operations', name: 'prioritizeIncidents', summary: summary(500), note: '50 ranked' },
      { section: 'blast radius baselines', name: 'naive Cypher reachability, shared (dns:internal)', summary: summary(64), note: '37078 CIs reach it' },
      { section: 'blast radius baselines', name: 'in-memory floor (BFS), shared (dns:internal)', summary: summary(4), note: '37078 CIs reach it' },
      { section: 'blast radius baselines', name: 'naive Cypher reachability, leaf (k:x)', note: 'failed: timeout', skipped: true },
    ]);
    expect(rows.map((r) => r.note)).toEqual([
      '37079 impacted',
      '50 ranked',
      "37078 CIs reach it; the API's p50 is 1.3x this",
      "37078 CIs reach it; the API's p50 is 20.0x this",
      'failed: timeout',
    ]);
  });
});
