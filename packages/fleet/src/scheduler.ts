/**
 * Runs `work` for every item, at most `limit` (or `limit(key)`) at a time per key (a server): items of a key that is
 * full wait while items of other keys start. Once `stopped()` is true no item starts any more; the
 * items never started get `undefined`. Results are in the items' order.
 *
 * @example
 * await runPerKey(targets, (t) => t.server, 4, (t) => migrateOne(t), () => failed)
 */
export async function runPerKey<T, R>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number | ((key: string) => number),
  work: (item: T, index: number) => Promise<R>,
  stopped: () => boolean = () => false,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  const running = new Map<string, number>();
  const waiting = items.map((item, index) => ({ item, index, key: keyOf(item) }));
  let active = 0;
  const limitOf = typeof limit === 'number' ? () => limit : limit;
  return new Promise((resolveAll, rejectAll) => {
    const pump = () => {
      if (!stopped()) {
        for (let k = 0; k < waiting.length; ) {
          const w = waiting[k]!;
          if ((running.get(w.key) ?? 0) >= limitOf(w.key)) {
            k++;
            continue;
          }
          waiting.splice(k, 1);
          running.set(w.key, (running.get(w.key) ?? 0) + 1);
          active++;
          work(w.item, w.index).then(
            (r) => {
              results[w.index] = r;
              running.set(w.key, running.get(w.key)! - 1);
              active--;
              pump();
            },
            rejectAll,
          );
        }
      }
      if (active === 0) resolveAll(results);
    };
    pump();
  });
}
