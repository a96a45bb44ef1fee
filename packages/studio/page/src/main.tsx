import { render, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { InfoResponse } from '../../src/api-types.ts';
import { errorInfo, get } from './api.ts';
import { TablesView } from './tables-view.tsx';
import { SchemaView } from './schema-view.tsx';
import { MigrationsView } from './migrations-view.tsx';
import { SqlConsole } from './sql-console.tsx';
import { ErrorBox } from './error-box.tsx';

type Route =
  | { view: 'tables'; schema: string | null; table: string | null; where: Record<string, string>; open: boolean; hash: string }
  | { view: 'schema'; focus: string | null }
  | { view: 'migrations' }
  | { view: 'sql' };

function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').map((p) => decodeURIComponent(p));
  switch (parts[0]) {
    case 'schema': return { view: 'schema', focus: parts[1] ?? null };
    case 'migrations': return { view: 'migrations' };
    case 'sql': return { view: 'sql' };
    default: return {
      view: 'tables', schema: parts[1] ?? null, table: parts[2] ?? null,
      where: Object.fromEntries(new URLSearchParams(query)), open: parts[3] === 'row', hash,
    };
  }
}

function App() {
  const [route, setRoute] = useState<Route>(parseHash(location.hash));
  const [info, setInfo] = useState<InfoResponse | null>(null);
  const [infoError, setInfoError] = useState<ReturnType<typeof errorInfo> | null>(null);
  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    get<InfoResponse>('/api/info').then(setInfo, (e) => setInfoError(errorInfo(e)));
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = (hash: string) => {
    if (location.hash !== hash) location.hash = hash;
    setRoute(parseHash(hash));
  };
  const tab = (view: Route['view'], label: string, hash: string) => (
    <a href={hash} class={route.view === view ? 'tab active' : 'tab'} data-testid={`tab-${view}`}
      onClick={(e) => { e.preventDefault(); navigate(hash); }}>{label}</a>
  );
  let body: JSX.Element;
  switch (route.view) {
    case 'tables':
      body = <TablesView navigate={navigate}
        selected={route.schema && route.table ? { schema: route.schema, table: route.table, where: route.where, open: route.open, hash: route.hash } : null} />;
      break;
    case 'schema': body = <SchemaView focus={route.focus} />; break;
    case 'migrations': body = <MigrationsView />; break;
    case 'sql': body = <SqlConsole info={info} />; break;
    default: {
      const never: never = route;
      throw new Error(`unknown view ${JSON.stringify(never)}`);
    }
  }
  return (
    <div class="app">
      <header>
        <span class="brand">Strata Studio</span>
        <nav class="tabs">
          {tab('tables', 'Tables', '#/tables')}
          {tab('schema', 'Schema', '#/schema')}
          {tab('migrations', 'Migrations', '#/migrations')}
          {tab('sql', 'SQL', '#/sql')}
        </nav>
        {info?.readOnly && <span class="badge" data-testid="read-only-studio" title={info.readOnly}>read-only</span>}
        <span class="db" data-testid="database" title={info?.notes.join('\n')}>
          {info ? `${info.database} · ${info.version}` : ''}
        </span>
      </header>
      <ErrorBox error={infoError} />
      <main>{body}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
