import { useState } from 'preact/hooks';
import type { ApiError, ConsoleResponse, InfoResponse } from '../../src/api-types.ts';
import { errorInfo, post } from './api.ts';
import { displayValue } from './format.ts';
import { ErrorBox } from './error-box.tsx';

/** Where in the statement PostgreSQL pointed: the line and the column, for the error message. */
function locate(sql: string, position: number | undefined): string {
  if (!position) return '';
  const before = sql.slice(0, position - 1);
  const line = before.split('\n').length;
  const col = position - before.lastIndexOf('\n') - 1;
  return ` (line ${line}, column ${col})`;
}

/** How a read-only statement runs, in one line. */
function readOnlyNote(info: InfoResponse | null): string {
  if (!info) return '';
  switch (info.console.mode) {
    case 'login': return `Read-only: runs as the role "${info.console.role}" (no superuser, no server files) in a READ ONLY transaction.`;
    case 'guarded': return 'Read-only: checked by PostgreSQL\'s parser first (the embedded database runs as a superuser, so COPY, file, large-object and settings functions are refused), then run in a READ ONLY transaction.';
    case 'off': return 'Read-only statements are off.';
    default: {
      const never: never = info.console.mode;
      return never;
    }
  }
}

/** One statement at a time; read-only unless writing is switched on (which a read-only studio does not offer). */
export function SqlConsole({ info }: { info: InfoResponse | null }) {
  const [sql, setSql] = useState('select now()');
  const [write, setWrite] = useState(false);
  const [result, setResult] = useState<ConsoleResponse | null>(null);
  const [error, setError] = useState<ApiError['error'] | null>(null);
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await post<ConsoleResponse>('/api/sql', { sql, write }));
    } catch (e) {
      const info = errorInfo(e);
      setResult(null);
      setError({ ...info, message: info.message + locate(sql, info.position) });
    } finally {
      setRunning(false);
    }
  };
  return (
    <div class="console">
      <div class="toolbar">
        <h2>SQL</h2>
        {info && info.readOnly === null && (
          <label class={write ? 'flag writing' : 'flag'}>
            <input type="checkbox" data-testid="allow-writes" checked={write} onChange={(e) => setWrite((e.target as HTMLInputElement).checked)} />
            allow writes
          </label>
        )}
        <span class="muted" data-testid="console-mode">{write ? 'The statement runs in a transaction that is committed.' : readOnlyNote(info)}</span>
      </div>
      {!write && info?.console.mode === 'off' && (
        <p class="note" data-testid="console-off">The read-only console is off: {info.console.reason}. {info.console.hint}</p>
      )}
      <textarea class="sql-input" data-testid="sql-input" value={sql} rows={8} spellcheck={false}
        onInput={(e) => setSql((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void run(); } }} />
      <div class="actions">
        <button class="primary" data-testid="sql-run" disabled={running || (!write && info?.console.mode === 'off')} onClick={() => void run()}>{running ? 'Running…' : 'Run (Ctrl+Enter)'}</button>
      </div>
      <ErrorBox error={error} testId="sql-error" />
      {result && (
        <div data-testid="sql-result">
          <p class="muted" data-testid="sql-summary">
            {result.columns.length ? `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ' (more not shown)' : ''}` : `${result.rowCount} row${result.rowCount === 1 ? '' : 's'} affected`} · {result.ms} ms
          </p>
          {result.columns.length > 0 && (
            <div class="table-wrap">
              <table class="data">
                <thead><tr>{result.columns.map((c, i) => <th key={i}>{c}</th>)}</tr></thead>
                <tbody>
                  {result.rows.map((r, i) => (
                    <tr key={i}>{r.map((v, j) => <td key={j} class={v === null ? 'null' : ''}>{displayValue(v)}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
