import type { DatabaseClient } from '@strata/db';

/**
 * The database a workflow runs on: a client, or a function that opens one when the workflow first
 * needs it (so an error in the schema code is reported before any database is opened). The caller
 * owns the client and closes it.
 */
export type DatabaseInput = DatabaseClient | (() => Promise<DatabaseClient>);

export const openDatabaseInput = (db: DatabaseInput): Promise<DatabaseClient> => (typeof db === 'function' ? db() : Promise.resolve(db));
