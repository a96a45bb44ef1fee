import { useState } from 'preact/hooks';
import type { ColumnInfo } from '../../src/api-types.ts';

/** A "Columns" drop-down: a check box per column to show or hide it, and a reset. */
export function ColumnMenu({ columns, hidden, setHidden, reset }: {
  columns: ColumnInfo[]; hidden: string[]; setHidden: (column: string, hidden: boolean) => void; reset: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <span class="column-menu">
      <button type="button" data-testid="columns-menu" onClick={() => setOpen(!open)}>Columns{hidden.length ? ` (${hidden.length} hidden)` : ''} ▾</button>
      {open && (
        <div class="menu" data-testid="columns-list">
          {columns.map((c) => (
            <label key={c.name} class="menu-item">
              <input type="checkbox" data-testid={`show-col-${c.name}`} checked={!hidden.includes(c.name)}
                onChange={(e) => setHidden(c.name, !(e.target as HTMLInputElement).checked)} />
              {c.name}
            </label>
          ))}
          <div class="actions">
            <button type="button" data-testid="columns-reset" onClick={reset}>Show all, reset widths</button>
            <button type="button" onClick={() => setOpen(false)}>Close</button>
          </div>
        </div>
      )}
    </span>
  );
}
