import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { StrataError } from '@strata/core';
import type { Studio, StudioOptions } from './types.js';
import { createApp } from './create-app.js';
import { defaultPageDir, loadPageAssets } from './page-assets.js';
import { describeConsole, openConsoleAccess } from './console-access.js';
import { DEFAULT_CONSOLE_LIMITS } from './sql-console.js';

/** The studio's default port (as drizzle-kit's studio, so the guide's habits carry over). */
export const DEFAULT_PORT = 4983;

/**
 * Starts the studio's web server on 127.0.0.1. Every request must carry the token (the URL's
 * `?token=`, then a cookie) and come from the studio's own page: see `guard.ts`.
 *
 * @example
 * const studio = await startStudio({ client: db, providers: { migrations: () => status(db) } });
 * console.log(studio.url); … await studio.close();
 */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  const assets = loadPageAssets(options.pageDir ?? defaultPageDir());
  let port = options.port ?? DEFAULT_PORT;
  const readOnly = options.readOnly ?? null;
  const access = await openConsoleAccess(options.client, { readOnlyUrl: options.readOnlyUrl, clientUrl: options.clientUrl });
  const consoleInfo = describeConsole(access, readOnly);
  const app = createApp({
    client: options.client, token, port: () => port, providers: options.providers ?? {}, notes: options.notes ?? [], assets, readOnly,
    console: access, consoleLimits: { ...DEFAULT_CONSOLE_LIMITS, ...options.consoleLimits },
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new StrataError('USAGE', `port ${port} on ${host} is already in use`, { hint: 'Stop whatever uses it, or pick another port with --port <n>.' })
          : new StrataError('INTERNAL', `the studio could not listen on ${host}:${port}: ${e.message}`, { cause: e }),
      );
    };
    const onListenError = (e: NodeJS.ErrnoException) => void access.close().finally(() => onError(e));
    server.once('error', onListenError);
    server.listen(port, host, () => {
      server.off('error', onListenError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    console: consoleInfo,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      } finally {
        await access.close();
      }
    },
  };
}
