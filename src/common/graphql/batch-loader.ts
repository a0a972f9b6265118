/**
 * Collects the keys asked for during one tick and loads them with one call,
 * so that listing 50 CIs with their dependencies costs one query, not 50.
 * One loader lives per request (see `loaderFor`), so nothing is cached across requests.
 */
export class BatchLoader<K, V> {
  private pending: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>, private readonly fallback: V) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (this.pending.length === 1) process.nextTick(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const values = await this.loadMany([...new Set(batch.map((b) => b.key))]);
      for (const item of batch) item.resolve(values.get(item.key) ?? this.fallback);
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}

const loaders = new WeakMap<object, Map<string, BatchLoader<unknown, unknown>>>();

/** The loader named `name` for this request context, created on first use. */
export function loaderFor<K, V>(context: object, name: string, create: () => BatchLoader<K, V>): BatchLoader<K, V> {
  let byName = loaders.get(context);
  if (!byName) {
    byName = new Map();
    loaders.set(context, byName);
  }
  let loader = byName.get(name);
  if (!loader) {
    loader = create() as BatchLoader<unknown, unknown>;
    byName.set(name, loader);
  }
  return loader as BatchLoader<K, V>;
}
