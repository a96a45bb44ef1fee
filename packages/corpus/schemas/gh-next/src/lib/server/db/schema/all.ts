// Added for the Strata corpus (not in the project): its drizzle config names the folder, ./src/lib/server/db/schema/*.sql.ts.
export * from './comment.sql';
export * from './event.sql';
export * from './index.sql';
export * from './issue.sql';
export * from './label.sql';
export * from './mention.sql';
export * from './reaction.sql';
export * from './repository.sql';
export * from './user.sql';
