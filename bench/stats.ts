/** Latency summaries: the figures every benchmark row reports. */
export interface LatencySummary {
  runs: number;
  medianMs: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    medianMs: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface MeasureOptions {
  runs: number;
  warmup: number;
  /** Stop early (with fewer runs) once this much time went into measured runs. */
  budgetMs: number;
}

/**
 * Runs `once` `warmup` times unmeasured, then up to `runs` times measured,
 * one at a time. `once` returns its own latency so a client can time only
 * the round trip, not the bench's bookkeeping; `run` is the 0-based index.
 */
export async function measure(options: MeasureOptions, once: (run: number) => Promise<number>): Promise<LatencySummary> {
  for (let i = 0; i < options.warmup; i++) await once(i);
  const samples: number[] = [];
  let spent = 0;
  for (let i = 0; i < options.runs; i++) {
    const ms = await once(options.warmup + i);
    samples.push(ms);
    spent += ms;
    if (spent > options.budgetMs && samples.length >= 3) break;
  }
  return summarize(samples);
}
