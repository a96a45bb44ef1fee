import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StrataError } from '@strata/core';
import { isDataMigration, type DataMigration } from './define.js';

// jiti is CommonJS: `require` (on first use) spares Node a scan of its 190 kB for named exports.
const createJiti = (...args: Parameters<typeof import('jiti').createJiti>) => (createRequire(import.meta.url)('jiti') as typeof import('jiti')).createJiti(...args);

/**
 * The module a migration file's `import … from '@strata/data'` is pointed at: this package's own
 * small `define` entry, so a file runs where the project installed only the CLI. From the build it
 * is `dist/define.js`; from the sources (tests), `src/define.ts`.
 */
function selfDefineModule(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'define.js');
  return existsSync(built) ? built : join(here, 'define.ts');
}

/** `file:line:column` of the first stack frame in `file`, or the file alone. */
export function locateInFile(e: unknown, file: string): string {
  const err = e as { stack?: string; loc?: { line: number; column: number } };
  if (err?.loc) return `${file}:${err.loc.line}:${err.loc.column}`;
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = (err?.stack ?? '').match(new RegExp(`(?:file://)?${escaped}:(\\d+):(\\d+)`));
  return m ? `${file}:${m[1]}:${m[2]}` : file;
}

/**
 * Loads a data-migration file (TypeScript without a build step) and checks its default export.
 *
 * @example
 * const migration = await loadDataMigration('/app/scripts/data/20250101120000_backfill.ts');
 */
export async function loadDataMigration(file: string): Promise<DataMigration> {
  const jiti = createJiti(pathToFileURL(file).href, {
    moduleCache: false,
    fsCache: false,
    interopDefault: true,
    alias: { '@strata/data': selfDefineModule() },
  });
  let loaded: unknown;
  try {
    loaded = await jiti.import(file, { default: true });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new StrataError('DATA_MIGRATION_FAILED', `could not load ${locateInFile(e, file)}: ${msg}`, {
      hint: 'Fix the file: it must `export default defineDataMigration({ … })`.',
      cause: e,
    });
  }
  if (!isDataMigration(loaded)) {
    throw new StrataError('DATA_MIGRATION_FAILED', `${file}: the default export is not a data migration`, {
      hint: "export default defineDataMigration({ description: '…', async up(ctx) { … } }) — with defineDataMigration from '@strata/data'.",
    });
  }
  return loaded;
}
