import { Graph, layout } from '@dagrejs/dagre';
import type { SchemaTable } from '../../src/api-types.ts';

/** The narrowest table box; a box is as wide as its longest column name and type need. */
export const NODE_WIDTH = 240;
export const HEADER = 28;
export const LINE = 18;
/** A table box shows at most this many columns (and "… n more"). */
export const MAX_LINES = 14;

export interface PlacedTable {
  id: string;
  table: SchemaTable;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  id: string;
  from: string;
  to: string;
  label: string;
  points: { x: number; y: number }[];
}

export interface ErLayout {
  tables: PlacedTable[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export function tableId(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** How wide a text is drawn, in pixels, with the diagram's font for `kind`. */
export type Measure = (text: string, kind: 'title' | 'column' | 'type') => number;

/** A rough measure for when no canvas is at hand (about 7.5 px a character). */
export const roughMeasure: Measure = (text, kind) => text.length * (kind === 'type' ? 6.6 : 7.6);

/** Left margin, key mark, gap between name and type, right margin. */
const NAME_X = 30;
const GAP = 16;
const RIGHT = 10;

function boxWidth(t: SchemaTable, measure: Measure): number {
  let width = NODE_WIDTH;
  const title = t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;
  width = Math.max(width, 10 + measure(title, 'title') + RIGHT);
  for (const c of t.columns.slice(0, MAX_LINES)) {
    width = Math.max(width, NAME_X + measure(c.name, 'column') + GAP + measure(c.type, 'type') + RIGHT);
  }
  return Math.ceil(width);
}

function boxHeight(t: SchemaTable): number {
  const lines = Math.min(t.columns.length, MAX_LINES) + (t.columns.length > MAX_LINES ? 1 : 0);
  return HEADER + Math.max(1, lines) * LINE + 8;
}

/**
 * Lays out tables as boxes and foreign keys as edges with dagre (left to right). A table's
 * reference to itself is drawn as a loop beside its box. Boxes are wide enough for every column's
 * name and full type (`timestamp with time zone`), as `measure` reports their widths.
 *
 * @example
 * const er = layoutEr(tables, canvasMeasure());
 */
export function layoutEr(tables: SchemaTable[], measure: Measure = roughMeasure): ErLayout {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set<string>();
  for (const t of tables) {
    const id = tableId(t.schema, t.name);
    ids.add(id);
    g.setNode(id, { width: boxWidth(t, measure), height: boxHeight(t) });
  }
  const selfEdges: { id: string; from: string; label: string }[] = [];
  for (const t of tables) {
    const from = tableId(t.schema, t.name);
    for (const fk of t.foreignKeys) {
      const to = tableId(fk.refSchema, fk.refTable);
      if (!ids.has(to)) continue;
      const label = `${fk.columns.join(', ')} → ${fk.refColumns.join(', ')}`;
      if (to === from) selfEdges.push({ id: `${from}:${fk.name}`, from, label });
      else g.setEdge(from, to, { label }, `${from}:${fk.name}`);
    }
  }
  layout(g);
  const placed: PlacedTable[] = tables.map((t) => {
    const id = tableId(t.schema, t.name);
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    return { id, table: t, x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  });
  const byId = new Map(placed.map((p) => [p.id, p]));
  const edges: PlacedEdge[] = g.edges().map((e) => {
    const label = g.edge(e) as { label: string; points: { x: number; y: number }[] };
    return { id: e.name ?? `${e.v}->${e.w}`, from: e.v, to: e.w, label: label.label, points: label.points };
  });
  for (const s of selfEdges) {
    const p = byId.get(s.from)!;
    const x = p.x + p.width;
    const y = p.y + HEADER / 2;
    edges.push({ id: s.id, from: s.from, to: s.from, label: s.label, points: [{ x, y }, { x: x + 24, y: y - 10 }, { x: x + 24, y: y + 20 }, { x, y: y + 12 }] });
  }
  const info = g.graph() as { width?: number; height?: number };
  return { tables: placed, edges, width: (info.width ?? 400) + 40, height: info.height ?? 300 };
}
