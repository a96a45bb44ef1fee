import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, ColumnInfo, Filter, Row, RowsResponse, Sort, TableDetail, WriteValues } from '../../src/api-types.ts';
import { errorInfo, get, post } from './api.ts';
import { checkValue, displayValue, editText, formatCount, parseFilter } from './format.ts';
import { ValueInput, type EditValue } from './value-input.tsx';
import { ErrorBox } from './error-box.tsx';
import { RowDetail } from './row-detail.tsx';
import { ColumnMenu } from './column-menu.tsx';
import { useColumnLayout } from './column-layout.ts';
import { toCsv, toJson } from './export.ts';
import { download } from './download.ts';
import { foreignKeyOf, referencedHash } from './links.ts';

type Err = ApiError['error'];

interface Editing {
  row: number;
  column: string;
  value: EditValue;
  error: Err | null;
  saving: boolean;
}

function keyOf(table: TableDetail, row: Row): Row {
  return Object.fromEntries(table.primaryKey.map((k) => [k, row[k]]));
}

function toWrite(col: ColumnInfo, v: EditValue): { value?: string | null; error?: string } {
  switch (v.kind) {
    case 'null': return { value: null };
    case 'default': return {};
    case 'value': {
      const problem = checkValue(col, v.text);
      return problem ? { error: `${col.name}: ${problem}` } : { value: v.text };
    }
    default: {
      const never: never = v;
      throw new Error(`unknown edit value ${JSON.stringify(never)}`);
    }
  }
}

function startValue(col: ColumnInfo, v: unknown): EditValue {
  return v === null && col.nullable ? { kind: 'null' } : { kind: 'value', text: editText(v) };
}

const PAGE_SIZES = [25, 50, 100, 200];

interface GridProps {
  schema: string;
  table: string;
  onChanged: () => void;
  navigate: (hash: string) => void;
  /** Start filtered to rows whose columns equal these values (from a foreign-key link). */
  where?: Record<string, string>;
  /** Open the first row's detail panel once loaded (the row a foreign key named). */
  openFirst?: boolean;
}

/**
 * One table's rows: paging, sorting, a filter per column, hideable and resizable columns, export,
 * a detail panel per row, and editing (one row, or deleting several) when the table has a primary key.
 */
export function DataGrid({ schema, table: name, onChanged, navigate, where = {}, openFirst = false }: GridProps) {
  const [table, setTable] = useState<TableDetail | null>(null);
  // The page as loaded, with the offset it was loaded at (the range shown must match the rows shown).
  const [page, setPage] = useState<(RowsResponse & { offset: number }) | null>(null);
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState(50);
  const [sort, setSort] = useState<Sort | null>(null);
  const initialText = () => Object.fromEntries(Object.entries(where).map(([k, v]) => [k, `=${v}`]));
  const [filterText, setFilterText] = useState<Record<string, string>>(initialText);
  const [filters, setFilters] = useState<Filter[]>(() => Object.entries(where).map(([column, value]) => ({ column, op: 'eq', value })));
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [bulk, setBulk] = useState<{ error: Err | null; busy: boolean } | null>(null);
  const [detail, setDetail] = useState<number | null>(null);
  const autoOpened = useRef(false);
  const columnLayout = useColumnLayout(schema, name);
  const [loadError, setLoadError] = useState<Err | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [inserting, setInserting] = useState<Record<string, EditValue> | null>(null);
  const [insertError, setInsertError] = useState<Err | null>(null);
  const [deleting, setDeleting] = useState<{ row: number; error: Err | null } | null>(null);
  const [reloads, setReloads] = useState(0);
  const debounce = useRef<number | undefined>(undefined);

  useEffect(() => {
    setTable(null); setPage(null); setOffset(0); setSort(null);
    setEditing(null); setInserting(null); setDeleting(null); setLoadError(null);
    get<TableDetail>('/api/table', { schema, table: name }).then(setTable, (e) => setLoadError(errorInfo(e)));
  }, [schema, name]);

  useEffect(() => {
    if (!table) return;
    let stale = false;
    post<RowsResponse>('/api/rows', { schema, table: name, limit, offset, sort, filters }).then(
      (r) => {
        if (stale) return;
        // Row positions change with the page: an open editor would point at another row.
        setEditing(null);
        setDeleting(null);
        setSelected(new Set());
        setBulk(null);
        setDetail(openFirst && !autoOpened.current && r.rows.length > 0 ? 0 : null);
        autoOpened.current = true;
        setPage({ ...r, offset });
        setLoadError(null);
      },
      (e) => { if (!stale) setLoadError(errorInfo(e)); },
    );
    return () => { stale = true; };
  }, [table, offset, limit, sort, filters, reloads]);

  if (!table) return loadError ? <ErrorBox error={loadError} testId="load-error" /> : <p class="muted">Loading…</p>;
  const readOnly = table.readOnly !== null;
  const reload = () => setReloads((n) => n + 1);

  const applyFilters = (texts: Record<string, string>) => {
    const next: Filter[] = [];
    for (const col of table.columns) {
      const f = parseFilter(col, texts[col.name] ?? '');
      if (f) next.push(f);
    }
    setOffset(0);
    setFilters(next);
  };
  const onFilterInput = (col: string, text: string) => {
    const texts = { ...filterText, [col]: text };
    setFilterText(texts);
    window.clearTimeout(debounce.current);
    debounce.current = window.setTimeout(() => applyFilters(texts), 400);
  };
  const cycleSort = (col: string) => {
    setOffset(0);
    setSort(!sort || sort.column !== col ? { column: col, direction: 'asc' } : sort.direction === 'asc' ? { column: col, direction: 'desc' } : null);
  };

  const saveEdit = async () => {
    if (!editing || !page) return;
    const col = table.columns.find((c) => c.name === editing.column)!;
    const w = toWrite(col, editing.value);
    if (w.error) return setEditing({ ...editing, error: { code: 'USAGE', message: w.error } });
    setEditing({ ...editing, saving: true, error: null });
    try {
      const r = await post<{ row: Row | null }>('/api/rows/update', {
        schema, table: name, key: keyOf(table, page.rows[editing.row]!), values: { [editing.column]: w.value ?? null },
      });
      const rows = page.rows.slice();
      if (r.row) rows[editing.row] = r.row;
      setPage({ ...page, rows });
      setEditing(null);
      onChanged();
    } catch (e) {
      setEditing({ ...editing, saving: false, error: errorInfo(e) });
    }
  };

  const openInsert = () => {
    setInsertError(null);
    setInserting(Object.fromEntries(table.columns.filter((c) => c.writable).map((c) => [
      c.name, c.default !== null || c.identity !== null || c.nullable ? { kind: 'default' } : { kind: 'value', text: '' },
    ])));
  };
  const saveInsert = async () => {
    if (!inserting) return;
    const values: WriteValues = {};
    for (const col of table.columns) {
      const v = inserting[col.name];
      if (!v) continue;
      const w = toWrite(col, v);
      if (w.error) return setInsertError({ code: 'USAGE', message: w.error });
      if ('value' in w) values[col.name] = w.value ?? null;
    }
    try {
      await post('/api/rows/insert', { schema, table: name, values });
      setInserting(null);
      reload();
      onChanged();
    } catch (e) {
      setInsertError(errorInfo(e));
    }
  };

  const confirmBulkDelete = async () => {
    if (!page) return;
    setBulk({ error: null, busy: true });
    try {
      await post('/api/rows/delete-many', { schema, table: name, keys: [...selected].sort((a, b) => a - b).map((i) => keyOf(table, page.rows[i]!)) });
      setBulk(null);
      reload();
      onChanged();
    } catch (e) {
      setBulk({ error: errorInfo(e), busy: false });
    }
  };
  const toggleSelected = (i: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(i); else next.delete(i);
    setSelected(next);
    setBulk(null);
  };
  const visible = table.columns.filter((c) => !columnLayout.layout.hidden.includes(c.name));
  const exportAs = (kind: 'csv' | 'json') => {
    const names = visible.map((c) => c.name);
    const rows = page?.rows ?? [];
    const base = `${table.schema}.${table.name}`;
    if (kind === 'csv') download(`${base}.csv`, toCsv(names, rows), 'text/csv');
    else download(`${base}.json`, toJson(names, rows), 'application/json');
  };
  const widthStyle = (col: string) => {
    const w = columnLayout.layout.widths[col];
    return w ? { width: `${w}px`, minWidth: `${w}px`, maxWidth: `${w}px` } : undefined;
  };
  const startResize = (col: string) => (e: PointerEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const th = (e.currentTarget as HTMLElement).parentElement!;
    const startX = e.clientX;
    const startW = th.getBoundingClientRect().width;
    const move = (m: PointerEvent) => columnLayout.resize(col, startW + m.clientX - startX);
    const up = () => { window.removeEventListener('pointermove', move); window.removeEventListener('pointerup', up); };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const confirmDelete = async (i: number) => {
    if (!page) return;
    try {
      await post('/api/rows/delete', { schema, table: name, key: keyOf(table, page.rows[i]!) });
      setDeleting(null);
      reload();
      onChanged();
    } catch (e) {
      setDeleting({ row: i, error: errorInfo(e) });
    }
  };

  const total = page?.total;
  const shown = page?.rows.length ?? 0;
  const from = page?.offset ?? 0;
  const atEnd = !total || (total.kind === 'exact' && from + shown >= total.value) || shown < limit;
  const colSpan = visible.length + 1;
  const allSelected = shown > 0 && selected.size === shown;

  return (
    <div class="grid-view" data-testid="grid">
      <div class="toolbar">
        <h2>{table.schema}.{table.name}</h2>
        <span class="muted" data-testid="range">
          {total ? (shown ? `rows ${from + 1}–${from + shown} of ${formatCount(total)}` : `no rows (of ${formatCount(total)})`) : ''}
        </span>
        <button type="button" data-testid="prev" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>‹ Prev</button>
        <button type="button" data-testid="next" disabled={atEnd} onClick={() => setOffset(from + limit)}>Next ›</button>
        <select data-testid="page-size" value={String(limit)} onChange={(e) => { setOffset(0); setLimit(Number((e.target as HTMLSelectElement).value)); }}>
          {PAGE_SIZES.map((n) => <option key={n} value={String(n)}>{n} / page</option>)}
        </select>
        <button type="button" onClick={reload} data-testid="refresh">Refresh</button>
        {!readOnly && <button type="button" class="primary" data-testid="insert" onClick={openInsert}>+ Row</button>}
        <ColumnMenu columns={table.columns} hidden={columnLayout.layout.hidden} setHidden={columnLayout.setHidden} reset={columnLayout.reset} />
        <button type="button" data-testid="export-csv" title="export the rows shown (visible columns) as CSV" onClick={() => exportAs('csv')}>⇩ CSV</button>
        <button type="button" data-testid="export-json" title="export the rows shown (visible columns) as JSON" onClick={() => exportAs('json')}>⇩ JSON</button>
      </div>
      {!readOnly && selected.size > 0 && (
        <div class="bulk-bar" data-testid="bulk-bar">
          <span data-testid="selected-count">{selected.size} selected</span>
          {bulk && !bulk.error ? (
            <>
              <span>Delete {selected.size} row{selected.size === 1 ? '' : 's'}? This cannot be undone.</span>
              <button type="button" class="danger" data-testid="delete-selected-confirm" disabled={bulk.busy} onClick={() => void confirmBulkDelete()}>
                Delete {selected.size} row{selected.size === 1 ? '' : 's'}
              </button>
              <button type="button" onClick={() => setBulk(null)}>Cancel</button>
            </>
          ) : (
            <>
              <button type="button" class="danger" data-testid="delete-selected" onClick={() => setBulk({ error: null, busy: false })}>Delete selected…</button>
              <button type="button" data-testid="clear-selection" onClick={() => { setSelected(new Set()); setBulk(null); }}>Clear selection</button>
            </>
          )}
          <ErrorBox error={bulk?.error ?? null} testId="bulk-error" />
        </div>
      )}
      {readOnly && <p class="note" data-testid="read-only">Read-only: {table.readOnly}.</p>}
      {inserting && (
        <form class="insert-form" data-testid="insert-form" onSubmit={(e) => { e.preventDefault(); void saveInsert(); }}>
          <h3>New row</h3>
          {table.columns.filter((c) => c.writable).map((c) => (
            <label key={c.name} class="field">
              <span class="field-name">{c.name} <span class="muted">{c.type}</span></span>
              <ValueInput col={c} value={inserting[c.name]!} allowDefault testId={`insert-${c.name}`}
                onChange={(v) => setInserting({ ...inserting, [c.name]: v })} />
            </label>
          ))}
          <ErrorBox error={insertError} testId="insert-error" />
          <div class="actions">
            <button type="submit" class="primary" data-testid="insert-save">Insert</button>
            <button type="button" onClick={() => setInserting(null)}>Cancel</button>
          </div>
        </form>
      )}
      <ErrorBox error={loadError} testId="load-error" />
      <div class={detail !== null && page?.rows[detail] ? 'grid-body with-detail' : 'grid-body'}>
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th class="row-actions">
                {!readOnly && (
                  <input type="checkbox" data-testid="select-all" title="select every row shown" checked={allSelected}
                    onChange={(e) => { setSelected((e.target as HTMLInputElement).checked ? new Set(page?.rows.map((_, i) => i)) : new Set()); setBulk(null); }} />
                )}
              </th>
              {visible.map((c) => (
                <th key={c.name} data-testid={`col-${c.name}`} style={widthStyle(c.name)} onClick={() => cycleSort(c.name)} title={`${c.type}${c.nullable ? '' : ' not null'}${c.default ? ` default ${c.default}` : ''} — click to sort`}>
                  {c.primaryKey && <span class="pk" title="primary key">PK</span>}
                  {c.name}
                  <span class="sort">{sort?.column === c.name ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  <div class="type">{c.type}</div>
                  <span class="resize" data-testid={`resize-${c.name}`} title="drag to resize" onPointerDown={startResize(c.name)} onClick={(e) => e.stopPropagation()} />
                </th>
              ))}
            </tr>
            <tr class="filters">
              <th />
              {visible.map((c) => (
                <th key={c.name} style={widthStyle(c.name)}>
                  <input data-testid={`filter-${c.name}`} size={8} value={filterText[c.name] ?? ''} placeholder="filter"
                    title="a value, or >5, <=x, !=x, null, !null"
                    onInput={(e) => onFilterInput(c.name, (e.target as HTMLInputElement).value)}
                    onKeyDown={(e) => { if (e.key === 'Enter') { window.clearTimeout(debounce.current); applyFilters({ ...filterText, [c.name]: (e.target as HTMLInputElement).value }); } }} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page?.rows.map((row, i) => [
              <tr key={`r${i}`} data-testid="row" class={selected.has(i) ? 'selected' : detail === i ? 'open' : ''}>
                <td class="row-actions">
                  {!readOnly && (
                    <input type="checkbox" data-testid="select-row" checked={selected.has(i)} onChange={(e) => toggleSelected(i, (e.target as HTMLInputElement).checked)} />
                  )}
                  <button type="button" title="show the whole row" data-testid="open-row" onClick={() => setDetail(detail === i ? null : i)}>⤢</button>
                  {!readOnly && (<>
                    {deleting?.row === i ? (
                      <>
                        <button type="button" class="danger" data-testid="delete-confirm" onClick={() => void confirmDelete(i)}>Delete</button>
                        <button type="button" onClick={() => setDeleting(null)}>×</button>
                      </>
                    ) : (
                      <button type="button" title="delete this row" data-testid="delete" onClick={() => setDeleting({ row: i, error: null })}>✕</button>
                    )}
                  </>)}
                </td>
                {visible.map((c) => {
                  const v = row[c.name];
                  if (editing && editing.row === i && editing.column === c.name) {
                    return (
                      <td key={c.name} class="editing" data-testid={`cell-${c.name}`} style={widthStyle(c.name)}>
                        <ValueInput col={c} value={editing.value} autoFocus testId="cell-editor"
                          onChange={(value) => setEditing({ ...editing, value })} onEnter={() => void saveEdit()} onEscape={() => setEditing(null)} />
                        <div class="actions">
                          <button type="button" class="primary" data-testid="cell-save" disabled={editing.saving} onClick={() => void saveEdit()}>Save</button>
                          <button type="button" onClick={() => setEditing(null)}>Cancel</button>
                        </div>
                        <ErrorBox error={editing.error} testId="cell-error" />
                      </td>
                    );
                  }
                  const canEdit = !readOnly && c.writable;
                  const fk = foreignKeyOf(table.foreignKeys, c.name);
                  const target = fk ? referencedHash(fk, row) : null;
                  return (
                    <td key={c.name} data-testid={`cell-${c.name}`} class={v === null ? 'null' : typeof v === 'number' ? 'num' : ''} style={widthStyle(c.name)}
                      title={canEdit ? 'double-click to edit' : undefined}
                      onDblClick={canEdit ? () => setEditing({ row: i, column: c.name, value: startValue(c, v), error: null, saving: false }) : undefined}>
                      {target && fk ? (
                        <a href={target} class="fk-link" data-testid="fk-link" title={`open the row of ${fk.refSchema}.${fk.refTable} it references`}
                          onClick={(e) => { e.preventDefault(); navigate(target); }} onDblClick={(e) => e.stopPropagation()}>{displayValue(v)}</a>
                      ) : displayValue(v)}
                    </td>
                  );
                })}
              </tr>,
              deleting?.row === i && deleting.error ? (
                <tr key={`e${i}`}><td colSpan={colSpan}><ErrorBox error={deleting.error} testId="delete-error" /></td></tr>
              ) : null,
            ])}
          </tbody>
        </table>
      </div>
      {detail !== null && page?.rows[detail] && (
        <RowDetail table={table} row={page.rows[detail]} navigate={navigate} onClose={() => setDetail(null)} />
      )}
      </div>
    </div>
  );
}
