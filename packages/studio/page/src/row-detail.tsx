import { useEffect, useState } from 'preact/hooks';
import type { ApiError, ReferencingCount, Row, TableDetail } from '../../src/api-types.ts';
import { errorInfo, post } from './api.ts';
import { displayValue, formatCount } from './format.ts';
import { foreignKeyOf, referencedHash, referencingHash } from './links.ts';
import { ErrorBox } from './error-box.tsx';

/** A value in full: JSON pretty-printed, long and multi-line text wrapped, NULL marked. */
function FullValue({ v, type }: { v: unknown; type: string }) {
  if (v === null || v === undefined) return <span class="null">NULL</span>;
  if (typeof v === 'object' || type === 'json' || type === 'jsonb') {
    let pretty = typeof v === 'object' ? JSON.stringify(v, null, 2) : String(v);
    if (typeof v === 'string') {
      try { pretty = JSON.stringify(JSON.parse(v), null, 2); } catch { /* shown as stored */ }
    }
    return <pre class="json" data-testid="detail-json">{pretty}</pre>;
  }
  return <pre class="text" data-testid="detail-text">{displayValue(v)}</pre>;
}

/**
 * One row in a side panel: every column in full, its foreign keys as links to the rows they name,
 * and, per table that references this one, how many rows point at it (a link to them).
 */
export function RowDetail({ table, row, navigate, onClose }: { table: TableDetail; row: Row; navigate: (hash: string) => void; onClose: () => void }) {
  const [refs, setRefs] = useState<ReferencingCount[] | null>(null);
  const [error, setError] = useState<ApiError['error'] | null>(null);
  useEffect(() => {
    setRefs(null);
    setError(null);
    if (table.referencedBy.length === 0) return;
    let stale = false;
    post<ReferencingCount[]>('/api/rows/referencing', { schema: table.schema, table: table.name, values: row }).then(
      (r) => { if (!stale) setRefs(r); },
      (e) => { if (!stale) setError(errorInfo(e)); },
    );
    return () => { stale = true; };
  }, [table, row]);
  const go = (hash: string) => (e: Event) => { e.preventDefault(); navigate(hash); };
  return (
    <aside class="row-detail" data-testid="row-detail">
      <div class="row-detail-head">
        <h3>{table.schema}.{table.name}</h3>
        <button type="button" data-testid="row-detail-close" title="close" onClick={onClose}>×</button>
      </div>
      <dl>
        {table.columns.map((c) => {
          const fk = foreignKeyOf(table.foreignKeys, c.name);
          const hash = fk ? referencedHash(fk, row) : null;
          return (
            <div key={c.name} class="detail-field" data-testid={`detail-${c.name}`}>
              <dt>{c.name} <span class="muted">{c.type}</span></dt>
              <dd>
                <FullValue v={row[c.name]} type={c.typeName} />
                {hash && fk && (
                  <a href={hash} data-testid="detail-fk" onClick={go(hash)}>→ {fk.refSchema}.{fk.refTable}</a>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {table.referencedBy.length > 0 && (
        <>
          <h4>Referenced by</h4>
          <ErrorBox error={error} testId="referencing-error" />
          <ul class="defs">
            {table.referencedBy.map((ref, i) => {
              const count = refs?.[i]?.count;
              const hash = referencingHash(ref, row);
              return (
                <li key={ref.name} data-testid="referencing" data-table={`${ref.schema}.${ref.table}`}>
                  {hash ? <a href={hash} onClick={go(hash)}>{ref.schema}.{ref.table}</a> : <span>{ref.schema}.{ref.table}</span>} <span class="muted">({ref.columns.join(', ')})</span>:{' '}
                  <span data-testid="referencing-count">{count ? `${formatCount(count)} row${count.value === 1 && count.kind === 'exact' ? '' : 's'}` : '…'}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </aside>
  );
}
