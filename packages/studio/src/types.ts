import type { DatabaseClient } from '@strata/db';
import type { ConsoleInfo, MigrationView, PendingSql } from './api-types.js';
import type { ConsoleLimits } from './sql-console.js';

export type { MigrationView, MigrationState, ChecksumState, PendingSql } from './api-types.js';

/**
 * What the studio cannot compute from the database alone. The CLI passes them in (they need the
 * config, the migration folder and the schema code); each one is optional.
 */
export interface StudioProviders {
  migrations?: () => Promise<MigrationView[]>;
  pendingSql?: () => Promise<PendingSql | null>;
}

export interface StudioOptions {
  client: DatabaseClient;
  /** Default 4983; 0 picks a free port. */
  port?: number;
  /** The only address the studio listens on. */
  host?: '127.0.0.1';
  /** The secret the URL carries; default 32 random bytes. */
  token?: string;
  providers?: StudioProviders;
  /** Shown on the page (e.g. "served to other processes at 127.0.0.1:41234"). */
  notes?: string[];
  /** Directory of the built page; default the one shipped in this package. */
  pageDir?: string;
  /**
   * Why the studio may not change anything (shown on the page), e.g. "strata.config.ts says
   * production: true"; unset for a studio that can edit rows and run writing SQL. A read-only
   * studio refuses row edits and the console's writes on the server side, not only in the page.
   */
  readOnly?: string;
  /**
   * A URL logging in as an unprivileged role (not a superuser, none of pg_execute_server_program,
   * pg_read_server_files, pg_write_server_files), for the read-only SQL console on a server.
   */
  readOnlyUrl?: string;
  /**
   * The URL `client` was opened with. On a server whose login is unprivileged, the read-only
   * console opens its own connection with it when no `readOnlyUrl` is given.
   */
  clientUrl?: string;
  /** Caps on one read-only console statement (rows, server time, PGlite's planned cost). */
  consoleLimits?: Partial<ConsoleLimits>;
}

/** A running studio. */
export interface Studio {
  /** The URL to open, with the token: `http://127.0.0.1:4983/?token=…`. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** How the read-only console runs: `login` (server), `guarded` (PGlite) or `off`, with the reason. */
  readonly console: ConsoleInfo;
  close(): Promise<void>;
}
