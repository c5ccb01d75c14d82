/**
 * A least-recently-used cache holding at most `capacity` entries.
 *
 * - `new LRUCache(capacity)` throws a RangeError unless `capacity` is a positive integer.
 * - `get(key)` returns the cached value (or undefined) and makes the key the most recently used.
 * - `set(key, value)` adds or updates the key and makes it the most recently used; if the cache then holds
 *   more than `capacity` entries, the least recently used one is evicted. Returns the cache itself.
 * - `has(key)` says whether the key is cached, without changing how recently it was used.
 * - `delete(key)` removes the key; returns whether it was there.
 * - `size` is the number of cached entries.
 * - `keys()` returns the cached keys from least to most recently used.
 */
export class LRUCache<K, V> {
  constructor(capacity: number) {
    throw new Error("not implemented");
  }

  get(key: K): V | undefined {
    throw new Error("not implemented");
  }

  set(key: K, value: V): this {
    throw new Error("not implemented");
  }

  has(key: K): boolean {
    throw new Error("not implemented");
  }

  delete(key: K): boolean {
    throw new Error("not implemented");
  }

  get size(): number {
    throw new Error("not implemented");
  }

  keys(): K[] {
    throw new Error("not implemented");
  }
}
