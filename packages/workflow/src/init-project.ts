import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { StrataError } from '@strata/core';

/** The `db:*` scripts of the migration guide, added to package.json when absent. */
export const GUIDE_SCRIPTS: Readonly<Record<string, string>> = {
  'db:generate': 'strata generate',
  'db:migrate': 'strata migrate',
  'db:push': 'strata push',
  'db:studio': 'strata studio',
  'db:drop': 'strata drop',
  'db:status': 'strata status',
  'db:check': 'strata check',
  'db:rollback': 'strata rollback',
  'db:backup': 'strata backup',
  'db:data': 'strata data run',
};

/** Lines `strata init` makes sure `.gitignore` has: the embedded database and backups stay out of git. */
export const GITIGNORE_LINES = ['.strata/', 'backups/'] as const;

const CONFIG_NAMES = ['strata.config.ts', 'strata.config.mts', 'strata.config.js', 'strata.config.mjs'];
const SCHEMA_DIR = 'src/database/schema';
const MIGRATIONS_DIR = 'database/migrations';
const EXAMPLE_TABLE = `${SCHEMA_DIR}/users.ts`;

const CONFIG_TEXT = `import { defineConfig } from '@strata/cli';

export default defineConfig({
  schema: './${SCHEMA_DIR}',
  out: './${MIGRATIONS_DIR}',
  // Unset DATABASE_URL: an embedded PGlite database in .strata/pglite (git-ignored).
  dbUrl: process.env.DATABASE_URL ?? 'pglite:.strata/pglite',
  backupDir: './backups',
});
`;

const EXAMPLE_TABLE_TEXT = `import { pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

// An example table: edit it, then run \`npm run db:generate\` to write its migration.
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: varchar('email', { length: 255 }).notNull().unique(),
  name: text('name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
`;

/** One thing `strata init` did, relative to the project directory. */
export interface InitStep {
  path: string;
  action: 'created' | 'updated';
  /** e.g. the scripts or lines added. */
  detail?: string;
}

export interface InitResult {
  dir: string;
  steps: InitStep[];
}

/**
 * Sets a project up for Strata: `strata.config.ts`, the schema folder with an example table, the
 * migration folder, `.gitignore` lines for `.strata/` and backups, and the guide's `db:*` scripts
 * in package.json (only those absent; a package.json is created when there is none). Refuses, before
 * writing anything, when the config or the example table file already exists (a USAGE error
 * naming the file): it never overwrites.
 *
 * @example
 * const { steps } = initProject(process.cwd());
 * for (const s of steps) console.log(`${s.action} ${s.path}`);
 */
export function initProject(dir: string): InitResult {
  for (const name of [...CONFIG_NAMES, EXAMPLE_TABLE]) {
    if (existsSync(join(dir, name))) {
      throw new StrataError('USAGE', `${join(dir, name)} already exists; strata init changed nothing`, {
        hint: 'strata init only sets up a project that has no Strata config yet and never overwrites a file. Edit the existing file instead, or run it in another directory.',
      });
    }
  }
  // Read package.json before writing anything too, so a broken one stops init early.
  const pkgPath = join(dir, 'package.json');
  const pkg = existsSync(pkgPath) ? readPackageJson(pkgPath) : null;

  const steps: InitStep[] = [];
  const rel = (p: string) => relative(dir, p) || '.';
  const write = (path: string, text: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
    steps.push({ path: rel(path), action: 'created' });
  };
  write(join(dir, 'strata.config.ts'), CONFIG_TEXT);
  write(join(dir, EXAMPLE_TABLE), EXAMPLE_TABLE_TEXT);
  const migrations = join(dir, MIGRATIONS_DIR);
  if (!existsSync(migrations)) {
    mkdirSync(migrations, { recursive: true });
    steps.push({ path: `${MIGRATIONS_DIR}/`, action: 'created' });
  }

  const ignorePath = join(dir, '.gitignore');
  const ignore = existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : null;
  const present = new Set((ignore ?? '').split(/\r?\n/).map((l) => l.trim().replace(/^\//, '')));
  const missing = GITIGNORE_LINES.filter((l) => !present.has(l) && !present.has(l.replace(/\/$/, '')));
  if (missing.length > 0) {
    const prefix = ignore === null || ignore === '' || ignore.endsWith('\n') ? (ignore ?? '') : `${ignore}\n`;
    writeFileSync(ignorePath, `${prefix}# strata: the embedded database and backups\n${missing.join('\n')}\n`);
    steps.push({ path: '.gitignore', action: ignore === null ? 'created' : 'updated', detail: missing.join(', ') });
  }

  if (pkg === null) {
    const fresh = { name: packageName(dir), private: true, type: 'module', scripts: { ...GUIDE_SCRIPTS } };
    writeFileSync(pkgPath, `${JSON.stringify(fresh, null, 2)}\n`, { flag: 'wx' });
    steps.push({ path: 'package.json', action: 'created', detail: Object.keys(GUIDE_SCRIPTS).join(', ') });
  } else {
    const scripts = (pkg.json.scripts ?? {}) as Record<string, string>;
    const added = Object.keys(GUIDE_SCRIPTS).filter((k) => !(k in scripts));
    if (added.length > 0) {
      pkg.json.scripts = { ...scripts, ...Object.fromEntries(added.map((k) => [k, GUIDE_SCRIPTS[k]!])) };
      writeFileSync(pkgPath, `${JSON.stringify(pkg.json, null, pkg.indent)}\n`);
      steps.push({ path: 'package.json', action: 'updated', detail: added.join(', ') });
    }
  }
  return { dir, steps };
}

function readPackageJson(path: string): { json: Record<string, unknown>; indent: string } {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StrataError('USAGE', `${path} is not valid JSON (${(e as Error).message}); strata init changed nothing`, { hint: 'Fix package.json, then run strata init again.' });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new StrataError('USAGE', `${path} does not hold a JSON object; strata init changed nothing`, { hint: 'Fix package.json, then run strata init again.' });
  }
  const s = json as Record<string, unknown>;
  if (s.scripts !== undefined && (typeof s.scripts !== 'object' || s.scripts === null || Array.isArray(s.scripts))) {
    throw new StrataError('USAGE', `${path}: "scripts" is not an object; strata init changed nothing`, { hint: 'Fix package.json, then run strata init again.' });
  }
  // Keep the file's own indentation.
  const indent = /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? '  ';
  return { json: s, indent };
}

/** A valid npm package name from the directory's name. */
function packageName(dir: string): string {
  const n = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return n || 'app';
}
