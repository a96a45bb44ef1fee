import { useMemo, useRef, useState } from 'preact/hooks';
import type { SchemaTable } from '../../src/api-types.ts';
import { get } from './api.ts';
import { usePoll } from './use-poll.ts';
import { ErrorBox } from './error-box.tsx';
import { HEADER, LINE, MAX_LINES, layoutEr, roughMeasure, tableId, type ErLayout, type Measure } from './er-layout.ts';
import { FIT, zoomAt, type View } from './pan-zoom.ts';

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/** Text widths as the page draws them (the diagram's CSS fonts), measured on a canvas. */
function canvasMeasure(): Measure {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return roughMeasure;
  const family = getComputedStyle(document.documentElement).fontFamily || 'sans-serif';
  const fonts = { title: `600 13px ${family}`, column: `600 12px ${family}`, type: `11px ${family}` };
  return (text, kind) => {
    ctx.font = fonts[kind];
    return ctx.measureText(text).width;
  };
}

/** The tables `id` references and is referenced by, and the edges between them. */
function relationsOf(er: ErLayout, id: string): { tables: Set<string>; edges: Set<string> } {
  const tables = new Set<string>([id]);
  const edges = new Set<string>();
  for (const e of er.edges) {
    if (e.from === id || e.to === id) {
      edges.add(e.id);
      tables.add(e.from);
      tables.add(e.to);
    }
  }
  return { tables, edges };
}

function Diagram({ er }: { er: ErLayout }) {
  const [view, setView] = useState<View>(FIT);
  const [selected, setSelected] = useState<string | null>(null);
  const drag = useRef<{ x: number; y: number; moved: boolean; view: View } | null>(null);
  const moved = useRef(false);
  const related = selected ? relationsOf(er, selected) : null;

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    setView(zoomAt(view, e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - rect.left, e.clientY - rect.top));
  };
  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, y: e.clientY, moved: false, view };
    moved.current = false;
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!d.moved) (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    d.moved = true;
    moved.current = true;
    setView({ ...d.view, x: d.view.x + dx, y: d.view.y + dy });
  };
  const onPointerUp = () => { drag.current = null; };
  const viewportBox = () => document.querySelector('[data-testid="er-viewport"]')?.getBoundingClientRect();
  const zoomButton = (factor: number) => {
    const box = viewportBox();
    setView(zoomAt(view, factor, (box?.width ?? 0) / 2, (box?.height ?? 0) / 2));
  };
  const fit = () => {
    const box = viewportBox();
    if (box) setView({ x: 0, y: 0, scale: Math.min(1, box.width / er.width, box.height / er.height) });
  };
  const classFor = (id: string) => (!related ? 'er-table' : id === selected ? 'er-table selected' : related.tables.has(id) ? 'er-table related' : 'er-table dim');

  return (
    <div class="er-box">
      <div class="er-controls">
        <button type="button" data-testid="er-zoom-in" title="zoom in" onClick={() => zoomButton(1.25)}>+</button>
        <button type="button" data-testid="er-zoom-out" title="zoom out" onClick={() => zoomButton(0.8)}>−</button>
        <button type="button" data-testid="er-fit" title="the whole diagram in view" onClick={fit}>Fit</button>
        <button type="button" data-testid="er-reset" title="original size and position" onClick={() => setView(FIT)}>Reset</button>
        <span class="muted">Drag to pan, wheel to zoom, click a table to highlight its relations.</span>
        {selected && <span class="muted" data-testid="er-selected">{selected}: {related!.tables.size - 1} related, {related!.edges.size} foreign keys</span>}
      </div>
      <div class="er-wrap" data-testid="er-viewport" style={{ height: `min(70vh, ${Math.ceil(er.height) + 2}px)` }} onWheel={onWheel} onPointerDown={onPointerDown} onPointerMove={onPointerMove}
        onPointerUp={onPointerUp} onPointerCancel={onPointerUp}
        onClick={(e) => { if (!moved.current && e.target === e.currentTarget) setSelected(null); }}>
        <svg class="er" data-testid="er-diagram" width={er.width} height={er.height} viewBox={`0 0 ${er.width} ${er.height}`}
          data-scale={view.scale.toFixed(3)} data-pan={`${Math.round(view.x)},${Math.round(view.y)}`} role="img" aria-label="schema diagram: tables and foreign keys"
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" class="arrow" />
            </marker>
          </defs>
          {er.edges.map((e) => (
            <path key={e.id} d={path(e.points)} class={!related ? 'fk' : related.edges.has(e.id) ? 'fk hl' : 'fk dim'} marker-end="url(#arrow)" data-testid="er-edge">
              <title>{`${e.from} (${e.label}) references ${e.to}`}</title>
            </path>
          ))}
          {er.tables.map((t) => {
            const cols = t.table.columns.slice(0, MAX_LINES);
            const fkCols = new Set(t.table.foreignKeys.flatMap((f) => f.columns));
            return (
              <g key={t.id} transform={`translate(${t.x},${t.y})`} class={classFor(t.id)} data-testid={`er-table-${t.id}`}
                onClick={() => { if (!moved.current) setSelected(selected === t.id ? null : t.id); }}>
                <rect width={t.width} height={t.height} rx="6" class="box" />
                <rect width={t.width} height={HEADER} rx="6" class="head" />
                <a href={`#/schema/${encodeURIComponent(t.id)}`} onClick={(e) => e.stopPropagation()}>
                  <text x="10" y={HEADER - 9} class="title">{t.table.schema === 'public' ? t.table.name : t.id}</text>
                </a>
                {cols.map((c, i) => (
                  <g key={c.name} transform={`translate(0,${HEADER + 4 + i * LINE})`}>
                    <text x="10" y="13" class="keymark">{c.primaryKey ? 'PK' : fkCols.has(c.name) ? 'FK' : ''}</text>
                    <text x="30" y="13" class={c.primaryKey ? 'col pk' : fkCols.has(c.name) ? 'col fkcol' : 'col'} data-testid="er-col">
                      {c.name}
                    </text>
                    <text x={t.width - 10} y="13" class="coltype" text-anchor="end" data-testid="er-type">{c.type}</text>
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
  const er = useMemo(() => (data?.length ? layoutEr(data, canvasMeasure()) : null), [data]);
  return (
    <div class="schema-view">
      <div class="toolbar">
        <h2>Schema</h2>
        <span class="muted">{data ? `${data.length} tables and views` : 'Loading…'}</span>
        <button type="button" onClick={refresh}>Refresh</button>
      </div>
      <ErrorBox error={error} />
      {data && data.length === 0 && <p class="muted">No tables yet.</p>}
      {er && <Diagram er={er} />}
      {data?.map((t) => <TableDetails key={tableId(t.schema, t.name)} t={t} />)}
    </div>
  );
}
