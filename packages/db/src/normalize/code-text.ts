import type { Snapshot } from '@strata/model';
import { mapSnapshot, type ExpressionSite } from './map-snapshot.js';

/** Each expression of a snapshot by where it sits; the n-th expression of one index counts as its own place. */
function textsBySite(snapshot: Snapshot): Map<string, string> {
  const seen = new Map<string, number>();
  const texts = new Map<string, string>();
  mapSnapshot(snapshot, {
    schema: (s) => s,
    typeSchema: (s) => s,
    foreignSchema: (s) => s,
    expression: (sql, site) => {
      texts.set(siteKey(site, seen), sql);
      return sql;
    },
  });
  return texts;
}

function siteKey(site: ExpressionSite, seen: Map<string, number>): string {
  const n = seen.get(site.what) ?? 0;
  seen.set(site.what, n + 1);
  return `${site.what}\0${n}`;
}

/**
 * The server-spelled snapshot to build from, with the code's own text for every expression whose
 * spelling the database does not hold anywhere. The spelling is what compares with the catalog,
 * but it is not always SQL that builds the same thing again: PostgreSQL prints `state IN ('a', 'b')`
 * on a varchar as `(state)::text = ANY ((ARRAY['a'::character varying, …])::text[])`, and that text
 * parses into another expression (`ARRAY[('a'::character varying)::text, …]`). So what is created
 * or changed is written as the code writes it, as `generate` does. A spelling found in `live` is
 * kept, wherever it is found: an object that did not change (a renamed table's check too, whose
 * place has another name in `live`) still compares equal, and a rename is still recognised.
 *
 * @example
 * const target = withCodeText(await serverSpelled(db, code, config, schemas, live), code, live);
 */
export function withCodeText(spelled: Snapshot, code: Snapshot, live: Snapshot): Snapshot {
  const codeTexts = textsBySite(code);
  const inLive = new Set(textsBySite(live).values());
  const spelledCount = countBySite(textsBySite(spelled));
  const codeCount = countBySite(codeTexts);
  const seen = new Map<string, number>();
  return mapSnapshot(spelled, {
    schema: (s) => s,
    typeSchema: (s) => s,
    foreignSchema: (s) => s,
    expression: (sql, site) => {
      const key = siteKey(site, seen);
      if (inLive.has(sql)) return sql;
      // An index whose expressions the server counts otherwise (an element it turned into a plain
      // column) has no n-th to pair: keep the spelling there.
      if (spelledCount.get(site.what) !== codeCount.get(site.what)) return sql;
      return codeTexts.get(key) ?? sql;
    },
  });
}

/** How many expressions sit at each place (an index has one per expression element). */
function countBySite(texts: ReadonlyMap<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of texts.keys()) {
    const what = key.slice(0, key.lastIndexOf('\0'));
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return counts;
}
