import { createPgClient, type DatabaseClient } from '@strata/db';
import type { ConsoleInfo } from './api-types.js';

/**
 * Where the studio's read-only SQL console runs its statements:
 * - `login` (a server): its own connection, logged in as a role that is not a superuser, cannot
 *   become one, and holds none of pg_execute_server_program / pg_read_server_files /
 *   pg_write_server_files. A READ ONLY transaction (or SET ROLE) on a superuser's session is no
 *   boundary — `select set_config('role', 'postgres', false)` takes the superuser back — a login is.
 * - `guarded` (PGlite, always a superuser): the studio's client, with every statement checked by
 *   PostgreSQL's own parser first (`guardStatement`) and its planned cost capped.
 * - `off`: no such login is available; the console says why and runs nothing read-only.
 */
export type ConsoleAccess =
  | { readonly mode: 'login'; readonly client: DatabaseClient; readonly role: string; close(): Promise<void> }
  | { readonly mode: 'guarded'; readonly client: DatabaseClient; close(): Promise<void> }
  | { readonly mode: 'off'; readonly reason: string; readonly hint: string; close(): Promise<void> };

export interface ConsoleAccessOptions {
  /** A URL logging in as an unprivileged role, for the read-only console (config `readOnlyUrl`). */
  readOnlyUrl?: string;
  /** The URL the studio's own client was opened with: reused (on a separate connection) when its role is unprivileged. */
  clientUrl?: string;
}

/** The server roles that reach the machine's files and programs from SQL. */
export const SERVER_FILE_ROLES = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files'] as const;

const PRIVILEGES = `
  select session_user::text as role, current_database()::text as database, r.rolsuper as superuser, r.rolcreaterole as createrole,
    (select string_agg(s.rolname::text, ', ' order by s.rolname) from pg_roles s
      where s.rolsuper and s.rolname <> session_user and pg_has_role(session_user, s.oid, 'MEMBER')) as super_roles,
    (select string_agg(g, ', ' order by g) from unnest($1::text[]) g where pg_has_role(session_user, g, 'MEMBER')) as file_roles
  from pg_roles r where r.rolname = session_user`;

interface Privileges {
  role: string;
  database: string;
  superuser: boolean;
  createrole: boolean;
  super_roles: string | null;
  file_roles: string | null;
}

/** What makes a login unfit for the read-only console, or null when it is fit. */
function whyPrivileged(p: Privileges): string | null {
  if (p.superuser) return 'a superuser';
  if (p.super_roles) return `a member of the superuser role ${p.super_roles}`;
  if (p.file_roles) return `a member of ${p.file_roles}`;
  // Before PostgreSQL 16, CREATEROLE may grant itself pg_execute_server_program and friends.
  if (p.createrole) return 'allowed to create roles (CREATEROLE can grant itself pg_execute_server_program)';
  return null;
}

const CREATE_ROLE_HINT =
  'Give the console a login without those rights: readOnlyUrl in strata.config.ts or `strata studio --read-only-url <url>` ' +
  '(e.g. CREATE ROLE strata_readonly LOGIN PASSWORD \'…\'; GRANT pg_read_all_data TO strata_readonly; — see the studio README).';

const off = (reason: string, hint: string): ConsoleAccess => ({ mode: 'off', reason, hint, close: async () => {} });

/**
 * Decides where the read-only console runs (see `ConsoleAccess`). On a server it opens a
 * separate connection — with `readOnlyUrl`, else with the studio's own URL — and checks that its
 * login is unprivileged; a privileged login leaves the console off, with the reason.
 *
 * @example
 * const access = await openConsoleAccess(db, { readOnlyUrl: process.env.READONLY_DATABASE_URL });
 * if (access.mode === 'off') console.log(access.reason);
 */
export async function openConsoleAccess(client: DatabaseClient, options: ConsoleAccessOptions = {}): Promise<ConsoleAccess> {
  if (client.kind === 'pglite') return { mode: 'guarded', client, close: async () => {} };
  const url = options.readOnlyUrl ?? options.clientUrl;
  const source = options.readOnlyUrl ? 'readOnlyUrl' : 'the studio';
  if (!url) return off('the studio was given no login for its read-only console', CREATE_ROLE_HINT);
  const login = await createPgClient(url, { max: 1 });
  try {
    const [p] = (await login.query<Privileges>(PRIVILEGES, [[...SERVER_FILE_ROLES]])).rows;
    if (!p) throw new Error('the login role is not in pg_roles');
    const why = whyPrivileged(p);
    if (why) {
      await login.close();
      return off(`${source} logs in as "${p.role}", ${why}: a READ ONLY transaction does not stop it (COPY … TO PROGRAM, pg_read_file, lo_import, set_config('role', …))`, CREATE_ROLE_HINT);
    }
    const studioDb = (await client.query<{ d: string }>('select current_database()::text as d')).rows[0]?.d;
    if (studioDb !== p.database) {
      await login.close();
      return off(`readOnlyUrl opens the database "${p.database}", not the studio's "${studioDb}"`, 'Point readOnlyUrl at the same database as the studio.');
    }
    return { mode: 'login', client: login, role: p.role, close: () => login.close() };
  } catch (e) {
    await login.close().catch(() => {});
    throw e;
  }
}

/** What the page is told about the console. */
export function describeConsole(access: ConsoleAccess, studioReadOnly: string | null): ConsoleInfo {
  return {
    mode: access.mode,
    role: access.mode === 'login' ? access.role : null,
    reason: access.mode === 'off' ? access.reason : null,
    hint: access.mode === 'off' ? access.hint : null,
    writes: studioReadOnly === null,
  };
}
