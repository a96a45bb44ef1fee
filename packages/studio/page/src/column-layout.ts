import { useEffect, useState } from 'preact/hooks';

/** Which columns a table hides and how wide the user made the others, kept per table in the browser. */
export interface ColumnLayout {
  hidden: string[];
  widths: Record<string, number>;
}

export const MIN_WIDTH = 48;

function storageKey(schema: string, table: string): string {
  return `strata-studio:columns:${JSON.stringify([schema, table])}`;
}

function load(schema: string, table: string): ColumnLayout {
  try {
    const v = JSON.parse(localStorage.getItem(storageKey(schema, table)) ?? 'null') as ColumnLayout | null;
    if (v && Array.isArray(v.hidden) && typeof v.widths === 'object') return v;
  } catch { /* a bad entry is ignored */ }
  return { hidden: [], widths: {} };
}

/**
 * The column layout of one table, remembered in `localStorage` across reloads.
 *
 * @example
 * const { layout, hide, show, resize, reset } = useColumnLayout('public', 'users');
 */
export function useColumnLayout(schema: string, table: string) {
  const [layout, setLayout] = useState<ColumnLayout>(() => load(schema, table));
  useEffect(() => {
    try { localStorage.setItem(storageKey(schema, table), JSON.stringify(layout)); } catch { /* private mode: not kept */ }
  }, [layout]);
  return {
    layout,
    setHidden: (column: string, hidden: boolean) =>
      setLayout((l) => ({ ...l, hidden: hidden ? [...new Set([...l.hidden, column])] : l.hidden.filter((c) => c !== column) })),
    resize: (column: string, width: number) => setLayout((l) => ({ ...l, widths: { ...l.widths, [column]: Math.max(MIN_WIDTH, Math.round(width)) } })),
    reset: () => setLayout({ hidden: [], widths: {} }),
  };
}
