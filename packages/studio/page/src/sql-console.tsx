import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, ConsoleResponse, InfoResponse, SchemaTable } from '../../src/api-types.ts';
import { errorInfo, get, post } from './api.ts';
import type { SqlEditor } from './sql-editor.ts';
import { loadHistory, remember } from './sql-history.ts';
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

/**
 * One statement at a time, in a CodeMirror editor (loaded when this view opens) that highlights
 * SQL and completes table and column names; read-only unless writing is switched on (which a
 * read-only studio does not offer). Statements run are kept in a history to pick from.
 */
export function SqlConsole({ info }: { info: InfoResponse | null }) {
  const [sql, setSqlState] = useState('select now()');
  const sqlRef = useRef(sql);
  const setSql = (text: string) => { sqlRef.current = text; setSqlState(text); };
  const [history, setHistory] = useState<string[]>(loadHistory);
  const [loadError, setLoadError] = useState<ApiError['error'] | null>(null);
  const [ready, setReady] = useState(false);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<SqlEditor | null>(null);
  const runRef = useRef<() => void>(() => {});
  useEffect(() => {
    let gone = false;
    Promise.all([import('./sql-editor.ts'), get<SchemaTable[]>('/api/schema').catch(() => [] as SchemaTable[])]).then(
      ([m, tables]) => {
        if (gone || !host.current) return;
        editor.current = m.createSqlEditor(host.current, { doc: sqlRef.current, tables, onChange: setSql, onRun: () => runRef.current() });
        setReady(true);
      },
      (e) => { if (!gone) setLoadError(errorInfo(e)); },
    );
    return () => { gone = true; editor.current?.destroy(); editor.current = null; };
  }, []);
  const [write, setWrite] = useState(false);
  const [result, setResult] = useState<ConsoleResponse | null>(null);
  const [error, setError] = useState<ApiError['error'] | null>(null);
  const [running, setRunning] = useState(false);
  const run = async () => {
    const sql = sqlRef.current;
    setRunning(true);
    setError(null);
    setHistory((h) => remember(h, sql));
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
  runRef.current = () => void run();
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
      <ErrorBox error={loadError} testId="editor-error" />
      <div class="sql-editor" ref={host} data-testid="sql-editor">{!ready && !loadError && <p class="muted">Loading the editor…</p>}</div>
      <div class="actions">
        <button type="button" class="primary" data-testid="sql-run" disabled={!ready || running || sql.trim() === '' || (!write && info?.console.mode === 'off')}
          onClick={() => void run()}>{running ? 'Running…' : 'Run (Ctrl+Enter)'}</button>
        {history.length > 0 && (
          <details class="sql-history" data-testid="sql-history">
            <summary>History ({history.length})</summary>
            <ul>
              {history.map((h, i) => (
                <li key={i}><button type="button" class="link" data-testid="history-item" title="put it in the editor"
                  onClick={() => { setSql(h); editor.current?.setText(h); editor.current?.focus(); }}>{h}</button></li>
              ))}
            </ul>
          </details>
        )}
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
