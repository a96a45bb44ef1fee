/** A foreign key between two tables, by their keys. */
export interface FkEdge {
  /** The referencing table. */
  from: string;
  /** The referenced table. */
  to: string;
  name: string;
}

/**
 * Orders tables so that every table comes after the tables it references, and names the foreign
 * keys that make that impossible (those inside a cycle of two or more tables): they must be set
 * aside while rows are loaded. A table referencing itself needs nothing: one INSERT … SELECT checks
 * its rows at the end of the statement.
 */
export function foreignKeyOrder<E extends FkEdge>(tables: string[], edges: E[]): { order: string[]; cyclic: E[] } {
  const inner = edges.filter((e) => e.from !== e.to && tables.includes(e.from) && tables.includes(e.to));
  const component = stronglyConnected(tables, inner);
  const cyclic = inner.filter((e) => component.get(e.from) === component.get(e.to));
  const kept = inner.filter((e) => !cyclic.includes(e));
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (done.has(t) || path.has(t)) return;
    path.add(t);
    for (const e of kept) if (e.from === t) visit(e.to, path);
    path.delete(t);
    done.add(t);
    order.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return { order, cyclic };
}

/** Tarjan's algorithm: each table's component number. */
function stronglyConnected(nodes: string[], edges: FkEdge[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let next = 0;
  let count = 0;
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const e of edges) {
      if (e.from !== v) continue;
      if (!index.has(e.to)) {
        connect(e.to);
        low.set(v, Math.min(low.get(v)!, low.get(e.to)!));
      } else if (onStack.has(e.to)) {
        low.set(v, Math.min(low.get(v)!, index.get(e.to)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        component.set(w, count);
        if (w === v) break;
      }
      count++;
    }
  };
  for (const n of nodes) if (!index.has(n)) connect(n);
  return component;
}
