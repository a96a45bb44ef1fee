import { useEffect, useState } from 'preact/hooks';
import { errorInfo } from './api.ts';
import type { ApiError } from '../../src/api-types.ts';

/**
 * Loads `load()` now and again every `ms` while the page is visible, so work done elsewhere (a
 * `strata migrate` in another terminal) shows up without a reload. `refresh()` loads at once.
 */
export function usePoll<T>(load: () => Promise<T>, ms: number, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError['error'] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stale = false;
    const run = () => {
      if (document.visibilityState === 'hidden') return;
      load().then(
        (d) => { if (!stale) { setData(d); setError(null); } },
        (e) => { if (!stale) setError(errorInfo(e)); },
      );
    };
    run();
    const timer = window.setInterval(run, ms);
    return () => { stale = true; window.clearInterval(timer); };
  }, [tick, ...deps]);
  return { data, error, refresh: () => setTick((n) => n + 1) };
}
