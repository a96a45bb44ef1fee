/**
 * A setup result made at most once: by `get()` running the maker, or handed over earlier by
 * `offer()` (a timed run's output that is exactly what the setup would make).
 *
 * @example
 * const folder = new Lazy(() => generateFolder()); folder.offer(dirFromTheGenerateRow); await folder.get();
 */
export class Lazy<T> {
  private value: Promise<T> | null = null;
  constructor(private readonly make: () => Promise<T>) {}

  get(): Promise<T> {
    return (this.value ??= this.make());
  }

  /** Uses `v` unless a value exists already; returns whether it was taken. */
  offer(v: T): boolean {
    if (this.value) return false;
    this.value = Promise.resolve(v);
    return true;
  }
}
