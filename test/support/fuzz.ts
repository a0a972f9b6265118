/** Small seeded generators for fuzz tests: deterministic, so a failure can be replayed by its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

export const INJECTIONS = [
  "'; MATCH (n) DETACH DELETE n; //",
  '" }) MATCH (n) DETACH DELETE n //',
  '`CI` {key: $x}',
  '${process.exit()}',
  '{{7*7}}',
  "<script>alert('x')</script>",
  "Robert'); DROP TABLE cis;--",
  '\\u0000\\n',
  'CALL dbms.killQueries([])',
  '}}}]]]',
  'ÄÖÜ — ключ — 鍵 — 🔑',
];

export class Fuzzer {
  constructor(readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** A string that is sometimes ordinary, sometimes hostile: huge, control characters, lone surrogates, injections. */
  string(): string {
    switch (this.int(8)) {
      case 0:
        return this.pick(INJECTIONS);
      case 1:
        return 'x'.repeat(this.pick([0, 1, 257, 4001, 70_000]));
      case 2:
        return String.fromCharCode(...Array.from({ length: 1 + this.int(20) }, () => this.int(0x20)));
      case 3:
        return '\ud800' + 'abc' + '\udfff';
      case 4:
        return Array.from({ length: 1 + this.int(30) }, () => String.fromCharCode(this.int(0xffff))).join('');
      default:
        return `fuzz-${this.int(1e9).toString(36)}`;
    }
  }

  /** Any JSON value, including deep nesting. */
  value(depth = 0): unknown {
    switch (this.int(depth > 3 ? 5 : 8)) {
      case 0:
        return null;
      case 1:
        return this.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]);
      case 2:
        return this.chance(0.5);
      case 3:
      case 4:
        return this.string();
      case 5:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      case 6:
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.string().slice(0, 50), this.value(depth + 1)]));
      default:
        return this.nested(50 + this.int(500));
    }
  }

  nested(depth: number): unknown {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = this.chance(0.5) ? [value] : { a: value };
    return value;
  }
}
