import { Hono, type Context } from 'hono';
import type { DatabaseClient } from '@strata/db';
import { StrataError } from '@strata/core';
import type { InfoResponse, MigrationsResponse, PendingResponse } from './api-types.js';
import type { StudioProviders } from './types.js';
import { studioGuard } from './guard.js';
import { toApiError } from './api-error.js';
import { describeTable, listTables, readSchema } from './catalog.js';
import { deleteRow, deleteRows, insertRow, readRows, updateRow } from './rows.js';
import { countReferencing } from './referencing.js';
import { DEFAULT_CONSOLE_LIMITS, runConsole, type ConsoleLimits } from './sql-console.js';
import { describeConsole, type ConsoleAccess } from './console-access.js';
import type { PageAssets } from './page-assets.js';
import {
  parseConsoleRequest, parseDeleteManyRequest, parseDeleteRequest, parseInsertRequest, parseReferencingRequest, parseRowsRequest,
  parseUpdateRequest,
} from './parse-request.js';

export interface AppOptions {
  client: DatabaseClient;
  token: string;
  port: () => number;
  providers: StudioProviders;
  notes: string[];
  assets: PageAssets;
  /** Why the studio may not change anything; null when it may. */
  readOnly: string | null;
  /** Where the read-only console runs (`openConsoleAccess`). */
  console: ConsoleAccess;
  /** Caps on one read-only console statement; default `DEFAULT_CONSOLE_LIMITS`. */
  consoleLimits?: ConsoleLimits;
}

async function jsonBody(c: Context): Promise<unknown> {
  // A form or a simple cross-site request cannot send application/json without a preflight.
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new StrataError('USAGE', 'bad request: the body must be application/json');
  }
  try {
    return await c.req.json();
  } catch {
    throw new StrataError('USAGE', 'bad request: the body is not valid JSON');
  }
}

/**
 * The studio's HTTP app: the page and its JSON API, behind the token/Host/Origin guard.
 *
 * @example
 * const app = createApp({ client, token, port: () => 4983, providers: {}, notes: [], assets });
 */
export function createApp(options: AppOptions): Hono {
  const { client, providers, assets, readOnly, console: access } = options;
  // Checked here, on the server: the page hides the controls, but the API is what must refuse.
  const refuseWrites = (what: string) => {
    if (readOnly !== null) {
      throw new StrataError('REFUSED', `this studio is read-only (${readOnly}): ${what} is refused`, {
        hint: 'Restart it with `strata studio --write` to change data.',
      });
    }
  };
  const app = new Hono();
  app.use('*', studioGuard({ port: options.port, token: options.token }));
  app.onError((e, c) => {
    const { status, body } = toApiError(e);
    return c.json(body, status);
  });

  const asset = (name: string) => (c: Context) => {
    const file = assets.files.get(name);
    if (!file) return c.json({ error: { code: 'NOT_FOUND', message: `${name} is not part of the page` } }, 404);
    return c.body(file.body, 200, { 'Content-Type': file.type });
  };
  app.get('/', asset('index.html'));
  app.get('/assets/app.js', asset('app.js'));
  app.get('/assets/app.css', asset('app.css'));
  // Only names the page was built with are served: the map holds nothing else.
  app.get('/assets/:chunk{chunk-[A-Za-z0-9_-]+\\.js}', (c) => asset(c.req.param('chunk'))(c));

  app.get('/api/info', async (c) => {
    const info = await client.serverInfo();
    const body: InfoResponse = {
      database: client.displayUrl,
      backend: client.kind,
      version: info.version.split(' on ')[0] ?? info.version,
      notes: options.notes,
      providers: { migrations: Boolean(providers.migrations), pendingSql: Boolean(providers.pendingSql) },
      readOnly,
      console: describeConsole(access, readOnly),
    };
    return c.json(body);
  });
  app.get('/api/tables', async (c) => c.json(await listTables(client)));
  app.get('/api/table', async (c) => {
    const schema = c.req.query('schema');
    const table = c.req.query('table');
    if (schema === undefined || table === undefined) throw new StrataError('USAGE', 'bad request: schema and table are required');
    const detail = await describeTable(client, schema, table);
    // The page shows every table of a read-only studio as it shows a view: no edit controls.
    return c.json(readOnly !== null && detail.readOnly === null ? { ...detail, readOnly: `the studio is read-only (${readOnly})` } : detail);
  });
  app.post('/api/rows', async (c) => c.json(await readRows(client, parseRowsRequest(await jsonBody(c)))));
  app.post('/api/rows/insert', async (c) => {
    refuseWrites('inserting a row');
    return c.json({ row: await insertRow(client, parseInsertRequest(await jsonBody(c))) });
  });
  app.post('/api/rows/update', async (c) => {
    refuseWrites('changing a row');
    return c.json({ row: await updateRow(client, parseUpdateRequest(await jsonBody(c))) });
  });
  app.post('/api/rows/delete', async (c) => {
    refuseWrites('deleting a row');
    await deleteRow(client, parseDeleteRequest(await jsonBody(c)));
    return c.json({ ok: true });
  });
  app.post('/api/rows/delete-many', async (c) => {
    refuseWrites('deleting rows');
    return c.json({ deleted: await deleteRows(client, parseDeleteManyRequest(await jsonBody(c))) });
  });
  app.post('/api/rows/referencing', async (c) => c.json(await countReferencing(client, parseReferencingRequest(await jsonBody(c)))));
  app.get('/api/schema', async (c) => c.json(await readSchema(client)));
  app.get('/api/migrations', async (c) => {
    const body: MigrationsResponse = providers.migrations
      ? { available: true, migrations: await providers.migrations() }
      : { available: false, migrations: [] };
    return c.json(body);
  });
  app.get('/api/pending', async (c) => {
    const body: PendingResponse = providers.pendingSql
      ? { available: true, pending: await providers.pendingSql() }
      : { available: false, pending: null };
    return c.json(body);
  });
  app.post('/api/sql', async (c) => {
    const request = parseConsoleRequest(await jsonBody(c));
    if (request.write) refuseWrites('writing SQL');
    return c.json(await runConsole(client, access, request, options.consoleLimits ?? DEFAULT_CONSOLE_LIMITS));
  });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no such page: ${c.req.path}` } }, 404));
  return app;
}
