import type { TableSummary } from '../../src/api-types.ts';
import { get } from './api.ts';
import { formatCount } from './format.ts';
import { usePoll } from './use-poll.ts';
import { DataGrid } from './data-grid.tsx';
import { ErrorBox } from './error-box.tsx';

/** Every table by schema with its row count, and the selected table's rows. */
export function TablesView({ selected, navigate }: {
  /** The table shown; `where` and `open` come from a foreign-key link; `hash` tells one visit from another. */
  selected: { schema: string; table: string; where: Record<string, string>; open: boolean; hash: string } | null;
  navigate: (hash: string) => void;
}) {
  const { data: tables, error, refresh } = usePoll(() => get<TableSummary[]>('/api/tables'), 5000);
  const schemas = new Map<string, TableSummary[]>();
  for (const t of tables ?? []) schemas.set(t.schema, [...(schemas.get(t.schema) ?? []), t]);
  return (
    <div class="split">
      <nav class="sidebar" data-testid="table-list">
        <ErrorBox error={error} />
        {tables && tables.length === 0 && <p class="muted">No tables yet. Run <code>strata migrate</code> or <code>strata push</code>.</p>}
        {[...schemas].map(([schema, list]) => (
          <div key={schema} class="schema-group">
            <div class="schema-name">{schema}</div>
            <ul>
              {list.map((t) => {
                const active = selected?.schema === t.schema && selected.table === t.name;
                return (
                  <li key={t.name}>
                    <a href={`#/tables/${encodeURIComponent(t.schema)}/${encodeURIComponent(t.name)}`} class={active ? 'active' : ''}
                      data-testid={`table-${t.schema}.${t.name}`}
                      onClick={(e) => { e.preventDefault(); navigate(`#/tables/${encodeURIComponent(t.schema)}/${encodeURIComponent(t.name)}`); }}>
                      <span>{t.name}</span>
                      {t.kind !== 'table' && <span class="badge">{t.kind.replace('-', ' ')}</span>}
                      <span class="count" data-testid="row-count">{formatCount(t.rows)}</span>
                    </a>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </nav>
      <section class="main">
        {selected ? <DataGrid key={Object.keys(selected.where).length ? selected.hash : `${selected.schema}.${selected.table}`} schema={selected.schema} table={selected.table}
          where={selected.where} openFirst={selected.open} navigate={navigate} onChanged={refresh} />
          : <p class="muted">Pick a table on the left.</p>}
      </section>
    </div>
  );
}
