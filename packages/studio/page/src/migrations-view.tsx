import { useState } from 'preact/hooks';
import type { MigrationView, MigrationsResponse, PendingResponse } from '../../src/api-types.ts';
import { get } from './api.ts';
import { usePoll } from './use-poll.ts';
import { ErrorBox } from './error-box.tsx';

function when(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function duration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function Sql({ title, sql, testId }: { title: string; sql: string | null; testId: string }) {
  return (
    <div class="sql-block">
      <div class="sql-title">{title}</div>
      {sql === null ? <p class="muted">none</p> : <pre data-testid={testId}>{sql}</pre>}
    </div>
  );
}

function MigrationRow({ m }: { m: MigrationView }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr data-testid="migration" data-name={m.name} data-state={m.state} class={`state-${m.state}`} onClick={() => setOpen(!open)}>
        <td>{open ? '▾' : '▸'} <code>{m.name}</code></td>
        <td><span class={`badge state-${m.state}`} data-testid="migration-state">{m.state}</span></td>
        <td>{when(m.appliedAt)}</td>
        <td>{duration(m.durationMs)}</td>
        <td><span class={`badge checksum-${m.checksum}`}>{m.checksum}</span></td>
      </tr>
      {open && (
        <tr class="migration-sql">
          <td colSpan={5}>
            <div class="sql-pair">
              <Sql title="up" sql={m.up} testId="migration-up" />
              <Sql title="down" sql={m.down} testId="migration-down" />
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

/** The migrations (from the runner) and the schema code's changes not yet in a migration. */
export function MigrationsView() {
  const migrations = usePoll(() => get<MigrationsResponse>('/api/migrations'), 3000);
  const pending = usePoll(() => get<PendingResponse>('/api/pending'), 10_000);
  const list = migrations.data?.migrations ?? [];
  const counts: Record<string, number> = {};
  for (const m of list) counts[m.state] = (counts[m.state] ?? 0) + 1;
  return (
    <div class="migrations-view">
      <div class="toolbar">
        <h2>Migrations</h2>
        <span class="muted" data-testid="migration-counts">
          {Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(' · ')}
        </span>
        <button type="button" onClick={() => { migrations.refresh(); pending.refresh(); }}>Refresh</button>
      </div>
      <ErrorBox error={migrations.error} testId="migrations-error" />
      {migrations.data && !migrations.data.available && (
        <p class="note">Migrations are not available here: the studio was started without a migration folder.</p>
      )}
      {migrations.data?.available && list.length === 0 && <p class="muted">No migrations yet. Write one with <code>strata generate</code>.</p>}
      {list.length > 0 && (
        <table class="plain migrations" data-testid="migrations">
          <thead><tr><th>migration</th><th>state</th><th>applied</th><th>took</th><th>checksum</th></tr></thead>
          <tbody>{list.map((m) => <MigrationRow key={m.name} m={m} />)}</tbody>
        </table>
      )}
      <h3>Schema code not yet in a migration</h3>
      <ErrorBox error={pending.error} testId="pending-error" />
      {pending.data && !pending.data.available && <p class="muted">Not available: the studio was started without schema code.</p>}
      {pending.data?.available && pending.data.pending === null && <p class="muted" data-testid="pending-none">None: the migrations match the schema code.</p>}
      {pending.data?.pending && (
        <div class="sql-pair" data-testid="pending">
          <Sql title="up (as strata generate would write it)" sql={pending.data.pending.up} testId="pending-up" />
          <Sql title="down" sql={pending.data.pending.down} testId="pending-down" />
        </div>
      )}
    </div>
  );
}
