#!/usr/bin/env node
// `npm run demo`: sets up the workspace, then walks the migration guide's main workflow with
// Strata on the embedded PGlite database, in a scratch copy of examples/hivemind, printing each
// command and what it shows. Nothing in the repository is changed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setup } from './setup.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/cli/dist/bin.js');
const bold = (s) => (process.stdout.isTTY && !('NO_COLOR' in process.env) ? `\x1b[1m${s}\x1b[0m` : s);

console.log('Setting up (pnpm install and build; quick when already done)…');
setup({ quiet: true });

// Inside the example, so its schema files resolve drizzle-orm from the example's node_modules.
const example = join(root, 'examples/hivemind');
const work = join(example, '.demo', `demo-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}`);
mkdirSync(work, { recursive: true });
cpSync(join(example, 'src'), join(work, 'src'), { recursive: true });
cpSync(join(example, 'strata.config.ts'), join(work, 'strata.config.ts'));
// The example's code is where its committed history ends (phone_number added, name renamed to
// full_name); the demo walks the guide from its start, so it begins before both, with no migration.
{
  const users = join(work, 'src/database/schema/users.ts');
  const final = "    fullName: text('full_name'),\n    phoneNumber: varchar('phone_number', { length: 20 }),\n";
  const text = readFileSync(users, 'utf8');
  if (!text.includes(final)) throw new Error('demo: the example\'s users.ts is not in its expected final state');
  writeFileSync(users, text.replace(final, "    name: text('name'),\n"));
}
const started = Date.now();

function say(text) {
  console.log(`\n${bold('▸')} ${text}`);
}

function strata(...args) {
  console.log(`\n${bold(`$ strata ${args.join(' ')}`)}`);
  const env = { ...process.env };
  delete env.DATABASE_URL; // the demo always uses the embedded database
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\nstrata ${args.join(' ')} exited with ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

function edit(rel, from, to) {
  const file = join(work, rel);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`demo: ${rel} does not contain ${from}`);
  writeFileSync(file, text.replace(from, to));
  console.log(`\n(edited ${rel}: ${to.trim().split('\n').at(-1).trim()})`);
}

function show(rel) {
  console.log(`\n${bold(`$ cat ${rel}`)}`);
  process.stdout.write(readFileSync(join(work, rel), 'utf8'));
}

const newest = (suffix) => {
  const dir = join(work, 'database/migrations');
  const files = spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter((f) => f.endsWith(suffix) && (suffix === '.down.sql' || !f.endsWith('.down.sql')));
  return relative(work, join(dir, files.sort().at(-1)));
};

console.log(`\nThe guide's project (examples/hivemind) in ${relative(root, work)}, on embedded PGlite.`);

say("Which database? DATABASE_URL is unset, so the config's dbUrl (process.env.DATABASE_URL ?? 'pglite:.strata/pglite') names embedded PGlite in .strata/pglite.");
strata('doctor');

say('1. Generate the initial migration from the schema code (src/database/schema).');
strata('generate', '--name', 'init');

say('2. Apply it. One runner at a time (a lock), each migration in its own transaction, checksums recorded.');
strata('migrate');
strata('status');

say('Some rows to work with: a data migration (tracked, runs once, resumable), scaffolded then filled in.');
strata('data', 'new', 'seed_demo_users');
const seedFile = join('scripts/data', readdirSync(join(work, 'scripts/data')).find((f) => f.endsWith('_seed_demo_users.ts')));
writeFileSync(
  join(work, seedFile),
  `import { defineDataMigration } from '@strata/data';

export default defineDataMigration({
  description: 'two users for the demo',
  async up(ctx) {
    await ctx.sql\`insert into users (username, email, name) values ('ada', 'ada@example.com', 'Ada Lovelace'), ('alan', 'alan@example.com', 'Alan Turing')\`;
  },
});
`,
);
show(seedFile);
strata('data', 'run');

say('3. "Adding a column": change the schema code, generate, review the SQL and its exact reverse.');
edit('src/database/schema/users.ts', "    name: text('name'),", "    name: text('name'),\n    phoneNumber: varchar('phone_number', { length: 20 }),");
strata('generate', '--name', 'add_phone_number');
show(newest('.down.sql'));
strata('migrate');

say('4. "Renaming a column": no manual migration. Without a terminal Strata will not guess, so say it with --rename.');
edit('src/database/schema/users.ts', "    name: text('name'),", "    fullName: text('full_name'),");
strata('generate', '--rename', 'users.name=users.full_name', '--name', 'rename_name_to_full_name');
strata('migrate', '--dry-run');
strata('migrate');

say('5. Rollback is built in: the generated down migration runs.');
strata('rollback');
strata('status');
strata('migrate');

say('6. Is everything in step? The database, the migration history and the schema code.');
strata('check');

say('7. A snapshot of the data inside the database (the guide\'s option 3), and a backup file (option 2).');
strata('snapshot', 'create', 'before_release');
strata('backup', '--out', 'backups/demo.strata');

say('8. Introspection: schema code written back from the live database.');
strata('pull', '--out', 'pulled');

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n${bold(`Done in ${seconds} s.`)} Try next, in ${work}:
  node ${relative(work, bin)} studio            # the data, the schema diagram and the migrations, in the browser
  node ${relative(work, bin)} push --dry-run    # development: make the database match the code directly
  node ${relative(work, bin)} data new backfill # a tracked, resumable data migration
  node ${relative(work, bin)} --help`);
