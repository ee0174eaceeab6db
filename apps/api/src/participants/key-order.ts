/**
 * Orders by a string key, by code units. Batches write rows in key order, so two concurrent
 * batches over the same keys wait for each other instead of deadlocking.
 */
export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const left = key(a);
    const right = key(b);
    return left < right ? -1 : left > right ? 1 : 0;
  };
}
