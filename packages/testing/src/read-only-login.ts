import { randomBytes } from 'node:crypto';
import { createPgClient } from '@strata/db';

/** A login role of its own on the test server: not a superuser, no server-file roles, reads every table. */
export interface ReadOnlyLogin {
  role: string;
  /** The database's URL, logging in as that role. */
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a login role as the studio README tells users to (`pg_read_all_data`: reads every
 * table, no superuser, no server files), and its URL for `url`'s database. Drop it after the test.
 *
 * @example
 * const login = await createReadOnlyLogin(tdb.url); … await login.drop();
 */
export async function createReadOnlyLogin(url: string): Promise<ReadOnlyLogin> {
  const role = `strata_ro_${randomBytes(5).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const admin = await createPgClient(url, { max: 1 });
  try {
    await admin.exec(`create role ${role} login password '${password}'; grant pg_read_all_data to ${role}`);
  } finally {
    await admin.close();
  }
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return {
    role,
    url: u.toString(),
    async drop() {
      // Roles belong to the cluster: drop it from the maintenance database (the test's may be gone).
      const maintenance = new URL(url);
      maintenance.pathname = '/postgres';
      const a = await createPgClient(maintenance.toString(), { max: 1 });
      try {
        await a.exec(`drop role if exists ${role}`);
      } finally {
        await a.close();
      }
    },
  };
}
