import { defineConfig } from '@strata/cli';

export default defineConfig({
  schema: './src/database/schema',
  out: './database/migrations',
  // A server when DATABASE_URL names one; otherwise, explicitly, the embedded database (so a CI
  // run without DATABASE_URL uses it on purpose, not by accident).
  dbUrl: process.env.DATABASE_URL ?? 'pglite:.strata/pglite',
  dataDir: './scripts/data',
  backupDir: './backups',
});
