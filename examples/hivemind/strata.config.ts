import { defineConfig } from '@strata/cli';

export default defineConfig({
  schema: './src/database/schema',
  out: './database/migrations',
  dbUrl: process.env.DATABASE_URL,
  dataDir: './scripts/data',
  backupDir: './backups',
});
