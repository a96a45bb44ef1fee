import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { columnExists, expect, pgliteTableCount, tableCount } from './db-checks.js';
import { freshPgliteDir } from './pglite-dirs.js';
import { Lazy } from './lazy.js';
import { RcFixtures } from './rc-fixtures.js';
import { extraColumnTarget, schemaSource } from './schema-source.js';
import { drizzleKit, strata, writeDrizzleConfig, writeStrataConfig } from './tools.js';

/** A project directory of one tool: its config file and its migration folder. */
export interface Project {
  dir: string;
  config: string;
  out: string;
}

/**
 * The shared, untimed state of one schema size, each made on first use: the schema code (and its
 * variant with one added column), each tool's generated migration folder, and template databases
 * each tool migrated (timed runs copy them). Made with each tool itself, so each tool works on
 * what it produced, as its users' projects do.
 */
export class SizeFixtures {
  readonly schemaFile: string;
  /** The schema with one nullable column added to the middle table. */
  readonly columnSchemaFile: string;
  readonly column: { table: string; column: string };
  /** drizzle-kit 1.0-rc's project, folder and database at this size. */
  readonly rc: RcFixtures;

  constructor(readonly ctx: BenchContext, readonly size: number) {
    const dir = join(ctx.workDir, `schema-${size}`);
    mkdirSync(dir, { recursive: true });
    this.schemaFile = join(dir, 'schema.ts');
    this.columnSchemaFile = join(dir, 'schema-column.ts');
    writeFileSync(this.schemaFile, schemaSource({ tables: size }));
    writeFileSync(this.columnSchemaFile, schemaSource({ tables: size, extraColumn: true }));
    this.column = extraColumnTarget(size);
    this.rc = new RcFixtures(ctx, size, this.schemaFile);
  }

  /** A Strata project on `schema` whose migration folder starts as a copy of `from` (if given). */
  strataProject(prefix: string, schema: string, from?: Project): Project {
    const dir = this.ctx.freshDir(`${prefix}-${this.size}`);
    const out = join(dir, 'migrations');
    if (from) cpSync(from.out, out, { recursive: true });
    return { dir, out, config: writeStrataConfig(dir, { schema, out }) };
  }

  drizzleProject(prefix: string, schema: string, from?: Project): Project {
    const dir = this.ctx.freshDir(`${prefix}-${this.size}`);
    const out = join(dir, 'drizzle');
    if (from) cpSync(from.out, out, { recursive: true });
    return { dir, out, config: writeDrizzleConfig(dir, { schema, out }) };
  }

  readonly strataFolder = new Lazy(async () => {
    const p = this.strataProject('s-base', this.schemaFile);
    await this.ctx.exec(strata(['generate', '--name', 'init'], { cwd: p.dir, config: p.config }), `strata generate (${this.size} tables)`);
    return p;
  });

  readonly drizzleFolder = new Lazy(async () => {
    const p = this.drizzleProject('d-base', this.schemaFile);
    await this.ctx.exec(drizzleKit(['generate', '--name', 'init'], { config: p.config }), `drizzle-kit generate (${this.size} tables)`);
    return p;
  });

  /** A database at the schema, migrated by `strata migrate` (a template: never connected to). */
  readonly strataDb = new Lazy(async () => {
    const p = await this.strataFolder.get();
    const db = await this.ctx.server.createDatabase('tpl_s');
    await this.ctx.exec(strata(['migrate'], { cwd: p.dir, config: p.config, url: this.ctx.server.url(db) }), `strata migrate (${this.size} tables)`);
    expect((await tableCount(this.ctx.server, db)) === this.size, `strata migrate did not build ${this.size} tables`);
    return db;
  });

  readonly drizzleDb = new Lazy(async () => {
    const p = await this.drizzleFolder.get();
    const db = await this.ctx.server.createDatabase('tpl_d');
    await this.ctx.exec(drizzleKit(['migrate'], { config: p.config, url: this.ctx.server.url(db) }), `drizzle-kit migrate (${this.size} tables)`);
    expect((await tableCount(this.ctx.server, db)) === this.size, `drizzle-kit migrate did not build ${this.size} tables`);
    return db;
  });

  /** drizzle-kit's base project with a second config on the embedded database (`driver: 'pglite'`). */
  readonly drizzlePgliteConfig = new Lazy(async () => {
    const p = await this.drizzleFolder.get();
    return writeDrizzleConfig(p.dir, { schema: this.schemaFile, out: p.out, driver: 'pglite' });
  });

  /** An embedded (PGlite) data directory migrated by `strata migrate` (timed runs copy it). */
  readonly strataPgliteDir = new Lazy(async () => {
    const p = await this.strataFolder.get();
    const dir = await freshPgliteDir(this.ctx, 'tpl-pglite-s');
    await this.ctx.exec(strata(['migrate'], { cwd: p.dir, config: p.config, url: `pglite:${dir}` }), `strata migrate on PGlite (${this.size} tables)`);
    expect((await pgliteTableCount(dir)) === this.size, `strata migrate did not build ${this.size} tables on PGlite`);
    return dir;
  });

  readonly drizzlePgliteDir = new Lazy(async () => {
    const config = await this.drizzlePgliteConfig.get();
    const dir = await freshPgliteDir(this.ctx, 'tpl-pglite-d');
    await this.ctx.exec(drizzleKit(['migrate'], { config, url: dir }), `drizzle-kit migrate on PGlite (${this.size} tables)`);
    expect((await pgliteTableCount(dir)) === this.size, `drizzle-kit migrate did not build ${this.size} tables on PGlite`);
    return dir;
  });

  /** The base folder plus a generated migration adding the column. */
  readonly strataColumnFolder = new Lazy(async () => {
    const p = this.strataProject('s-col', this.columnSchemaFile, await this.strataFolder.get());
    await this.ctx.exec(strata(['generate', '--name', 'add_bench_note'], { cwd: p.dir, config: p.config }), 'strata generate (add column)');
    return p;
  });

  readonly drizzleColumnFolder = new Lazy(async () => {
    const p = this.drizzleProject('d-col', this.columnSchemaFile, await this.drizzleFolder.get());
    await this.ctx.exec(drizzleKit(['generate', '--name', 'add_bench_note'], { config: p.config }), 'drizzle-kit generate (add column)');
    return p;
  });

  /** The strata database with the add-column migration applied too. */
  readonly strataColumnDb = new Lazy(async () => {
    const p = await this.strataColumnFolder.get();
    const db = await this.ctx.server.createDatabase('tpl_sc', await this.strataDb.get());
    await this.ctx.exec(strata(['migrate'], { cwd: p.dir, config: p.config, url: this.ctx.server.url(db) }), 'strata migrate (add column)');
    expect(await columnExists(this.ctx.server, db, this.column.table, this.column.column), 'strata migrate did not add the column');
    return db;
  });

  readonly drizzleColumnDb = new Lazy(async () => {
    const p = await this.drizzleColumnFolder.get();
    const db = await this.ctx.server.createDatabase('tpl_dc', await this.drizzleDb.get());
    await this.ctx.exec(drizzleKit(['migrate'], { config: p.config, url: this.ctx.server.url(db) }), 'drizzle-kit migrate (add column)');
    expect(await columnExists(this.ctx.server, db, this.column.table, this.column.column), 'drizzle-kit migrate did not add the column');
    return db;
  });

  /**
   * The guide's "manual rollback" with drizzle-kit: a custom migration (`generate --custom`) holding
   * the reverse SQL, after the add-column migration.
   */
  readonly drizzleReverseFolder = new Lazy(async () => {
    const p = this.drizzleProject('d-rev', this.columnSchemaFile, await this.drizzleColumnFolder.get());
    await this.ctx.exec(drizzleKit(['generate', '--custom', '--name', 'drop_bench_note'], { config: p.config }), 'drizzle-kit generate --custom');
    const journal = JSON.parse(readFileSync(join(p.out, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const tag = journal.entries.at(-1)!.tag;
    expect(tag.endsWith('drop_bench_note') && readdirSync(p.out).includes(`${tag}.sql`), 'drizzle-kit generate --custom wrote no migration');
    writeFileSync(join(p.out, `${tag}.sql`), `ALTER TABLE "${this.column.table}" DROP COLUMN "${this.column.column}";\n`);
    return p;
  });
}
