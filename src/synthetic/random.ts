/**
 * Small deterministic randomness for synthetic topologies. Math.random cannot
 * be seeded, and a benchmark or a simulated fault must be reproducible from
 * its seed alone, so everything synthetic draws from these.
 */

/** Final avalanche step of MurmurHash3: spreads every input bit over the output. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of a few integers. Used to give every domain and every
 * service its own random stream, so any one of them can be regenerated
 * without replaying everything generated before it.
 */
export function hashInts(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = avalanche((h ^ Math.imul(value | 0, 0x9e3779b1)) + 0x6d2b79f5);
  }
  return h;
}

/** Mulberry32: tiny, fast, good enough statistically for shaping test data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * An index below `count`, skewed towards 0: `power` 1 is uniform, larger
   * values concentrate on the first items (hubs get most of the traffic).
   */
  skewedIndex(count: number, power: number): number {
    return Math.min(count - 1, Math.floor(count * Math.pow(this.next(), power)));
  }
}
