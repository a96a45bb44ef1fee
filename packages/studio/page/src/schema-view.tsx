import { useMemo } from 'preact/hooks';
import type { SchemaTable } from '../../src/api-types.ts';
import { get } from './api.ts';
import { usePoll } from './use-poll.ts';
import { ErrorBox } from './error-box.tsx';
import { HEADER, LINE, MAX_LINES, layoutEr, tableId, type ErLayout } from './er-layout.ts';

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

function Diagram({ er }: { er: ErLayout }) {
  return (
    <div class="er-wrap">
      <svg class="er" data-testid="er-diagram" width={er.width} height={er.height} viewBox={`0 0 ${er.width} ${er.height}`}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="arrow" />
          </marker>
        </defs>
        {er.edges.map((e) => (
          <path key={e.id} d={path(e.points)} class="fk" marker-end="url(#arrow)" data-testid="er-edge">
            <title>{`${e.from} (${e.label}) references ${e.to}`}</title>
          </path>
        ))}
        {er.tables.map((t) => {
          const cols = t.table.columns.slice(0, MAX_LINES);
          const fkCols = new Set(t.table.foreignKeys.flatMap((f) => f.columns));
          return (
            <g key={t.id} transform={`translate(${t.x},${t.y})`} class="er-table" data-testid={`er-table-${t.id}`}>
              <a href={`#/schema/${encodeURIComponent(t.id)}`}>
                <rect width={t.width} height={t.height} rx="6" class="box" />
                <rect width={t.width} height={HEADER} rx="6" class="head" />
                <text x="10" y={HEADER - 9} class="title">{t.table.schema === 'public' ? t.table.name : t.id}</text>
              </a>
              {cols.map((c, i) => (
                <g key={c.name} transform={`translate(0,${HEADER + 4 + i * LINE})`}>
                  <text x="10" y="13" class="keymark">{c.primaryKey ? 'PK' : fkCols.has(c.name) ? 'FK' : ''}</text>
                  <text x="30" y="13" class={c.primaryKey ? 'col pk' : fkCols.has(c.name) ? 'col fkcol' : 'col'}>
                    {c.name}
                  </text>
                  <text x={t.width - 10} y="13" class="coltype" text-anchor="end">{c.type.length > 18 ? `${c.type.slice(0, 17)}…` : c.type}</text>
                </g>
              ))}
              {t.table.columns.length > MAX_LINES && (
                <text x="10" y={HEADER + 4 + MAX_LINES * LINE + 13} class="coltype">… {t.table.columns.length - MAX_LINES} more</text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function TableDetails({ t }: { t: SchemaTable }) {
  const id = tableId(t.schema, t.name);
  return (
    <section class="table-detail" id={`detail-${id}`} data-testid={`detail-${id}`}>
      <h3>{id} <span class="badge">{t.kind.replace('-', ' ')}</span></h3>
      <table class="plain">
        <thead><tr><th>column</th><th>type</th><th>null</th><th>default</th></tr></thead>
        <tbody>
          {t.columns.map((c) => (
            <tr key={c.name}>
              <td>{c.primaryKey && <span class="pk">PK</span>}{c.name}</td><td><code>{c.type}</code></td>
              <td>{c.nullable ? 'yes' : 'not null'}</td><td><code>{c.default ?? ''}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {t.indexes.length > 0 && (
        <>
          <h4>Indexes</h4>
          <ul class="defs">{t.indexes.map((i) => <li key={i.name}><strong>{i.name}</strong> <code>{i.definition}</code></li>)}</ul>
        </>
      )}
      {t.constraints.length > 0 && (
        <>
          <h4>Constraints</h4>
          <ul class="defs">{t.constraints.map((c) => <li key={c.name}><strong>{c.name}</strong> <span class="badge">{c.type}</span> <code>{c.definition}</code></li>)}</ul>
        </>
      )}
    </section>
  );
}

/** The entity-relationship diagram, then each table's columns, indexes and constraints. */
export function SchemaView({ focus }: { focus: string | null }) {
  const { data, error, refresh } = usePoll(() => get<SchemaTable[]>('/api/schema'), 10_000);
  if (focus) setTimeout(() => document.getElementById(`detail-${focus}`)?.scrollIntoView({ block: 'start' }), 0);
  const er = useMemo(() => (data?.length ? layoutEr(data) : null), [data]);
  return (
    <div class="schema-view">
      <div class="toolbar">
        <h2>Schema</h2>
        <span class="muted">{data ? `${data.length} tables and views` : 'Loading…'}</span>
        <button onClick={refresh}>Refresh</button>
      </div>
      <ErrorBox error={error} />
      {data && data.length === 0 && <p class="muted">No tables yet.</p>}
      {er && <Diagram er={er} />}
      {data?.map((t) => <TableDetails key={tableId(t.schema, t.name)} t={t} />)}
    </div>
  );
}
