/**
 * The best any ranking could do on the simulated cases: the posterior of
 * each possible root under the simulation's own generative model
 * (bench/rca-sim.ts), computed with everything the simulation knows and the
 * service does not (the whole graph, HARD and SOFT, redundancy groups, the
 * exact missing and noise rates, the timing model). A case where the oracle
 * ties or prefers another root is one no method can be expected to get
 * right; its AC@1 bounds what the engine can reach on a topology.
 *
 * Approximations, all small: noise is taken as independent per quiet CI at
 * the simulated rate and uniform over the window without checking that it
 * falls inside, and the rule that un-hides one alert when all were hidden is
 * left out.
 */
import { ImpactState } from '../src/impact/impact-engine';
import { Severity } from '../src/root-cause/root-cause-engine';
import { NoiseLevel, SIM_TIMING, SimCase, TopologyGraph } from './rca-sim';

interface Footprint {
  /** Impacted CI -> state and hops from the root. */
  impacted: Map<string, { state: ImpactState; distance: number }>;
  /** How long the noise window of a case on this root lasts (bench/rca-sim.ts). */
  noiseWindowMs: number;
}

const DOWN_SEVERITIES: ReadonlySet<Severity> = new Set(['CRITICAL', 'MAJOR']);
const DEGRADED_SEVERITIES: ReadonlySet<Severity> = new Set(['MINOR', 'WARNING']);

export class RcaOracle {
  private readonly footprints = new Map<string, Footprint>();

  constructor(
    private readonly graph: TopologyGraph,
    private readonly roots: readonly string[],
  ) {}

  private footprint(root: string): Footprint {
    let found = this.footprints.get(root);
    if (!found) {
      const impacted = this.graph.impact([root]).impacted;
      const farthest = Math.max(...impacted.map((i) => i.distance));
      found = {
        impacted: new Map(impacted.map((i) => [i.key, { state: i.state, distance: i.distance }])),
        noiseWindowMs: (farthest + 3) * SIM_TIMING.stepMs + SIM_TIMING.jitterMs,
      };
      this.footprints.set(root, found);
    }
    return found;
  }

  /** Log-likelihood of the case's alerts if `root` had failed; -Infinity when impossible. */
  logLikelihood(c: SimCase, root: string, level: NoiseLevel): number {
    const { impacted, noiseWindowMs } = this.footprint(root);
    const { stepMs, jitterMs } = SIM_TIMING;
    let visible = 0;
    let outside = 0;
    let ll = 0;
    let low = Infinity;
    let high = -Infinity;
    for (const alert of c.alerts) {
      const hit = impacted.get(alert.key);
      if (!hit) {
        outside++;
        continue;
      }
      visible++;
      const ok = hit.state === 'DOWN' ? DOWN_SEVERITIES.has(alert.severity) : DEGRADED_SEVERITIES.has(alert.severity);
      if (!ok) return -Infinity;
      // Onset = base + distance * step + jitter: every fault alert must fit one base.
      const shifted = Date.parse(alert.startsAt) - hit.distance * stepMs;
      low = Math.min(low, shifted);
      high = Math.max(high, shifted);
    }
    const hidden = impacted.size - visible;
    if (hidden > 0) {
      if (level.missing === 0) return -Infinity;
      ll += hidden * Math.log(level.missing);
    }
    if (visible > 0) {
      ll += visible * (Math.log(1 - level.missing) + Math.log(1 / 2));
      const slack = jitterMs - (high - low);
      if (slack <= 0) return -Infinity;
      ll += Math.log(slack) - visible * Math.log(jitterMs);
    }
    const quiet = this.graph.keys.length - impacted.size;
    const rate = quiet > 0 ? (level.noise * Math.min(visible, quiet)) / quiet : 0;
    if (outside > 0) {
      if (rate === 0) return -Infinity;
      // Which quiet CIs, which severity, when in the window.
      ll += outside * (Math.log(rate / 5) - Math.log(noiseWindowMs)) + (quiet - outside) * Math.log(1 - Math.min(rate, 1 - 1e-9));
    } else if (rate > 0) {
      ll += quiet * Math.log(1 - Math.min(rate, 1 - 1e-9));
    }
    return ll;
  }

  /**
   * Credit the oracle earns on the case at AC@1 and AC@3: 1 when the true
   * root is strictly among the best, a share when it ties across the cut.
   */
  credit(c: SimCase, level: NoiseLevel): { ac1: number; ac3: number } {
    const scores = this.roots.map((r) => ({ r, ll: this.logLikelihood(c, r, level) }));
    const truth = scores.find((s) => s.r === c.root)?.ll ?? -Infinity;
    if (truth === -Infinity) return { ac1: 0, ac3: 0 };
    const better = scores.filter((s) => s.ll > truth + 1e-9).length;
    const tied = scores.filter((s) => Math.abs(s.ll - truth) <= 1e-9).length;
    const share = (k: number) => Math.max(0, Math.min(1, (k - better) / tied));
    return { ac1: share(1), ac3: share(3) };
  }
}
