import { copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { expect, tableCount } from './db-checks.js';
import { Lazy } from './lazy.js';
import type { Project } from './size-fixtures.js';
import { drizzleKit, RC_MODULES, writeDrizzleConfig } from './tools.js';

/**
 * drizzle-kit 1.0-rc's side of one schema size, each made on first use: a project whose
 * node_modules is the rc package's (so the schema code runs on drizzle-orm 1.0-rc, as it does for
 * a project that upgraded), its generated folder, and a template database its own migrate built.
 * The schema code is the same file the other rows use, copied into the project.
 *
 * @example
 * const p = fixtures(300).rc.project('r-pull'); await fixtures(300).rc.db.get();
 */
export class RcFixtures {
  constructor(
    private readonly ctx: BenchContext,
    private readonly size: number,
    private readonly schemaFile: string,
  ) {}

  /** A fresh project: the schema as `schema.ts`, `drizzle.config.ts`, node_modules linked to drizzle-kit 1.0-rc's. */
  project(prefix: string): Project {
    const dir = this.ctx.freshDir(`${prefix}-${this.size}`);
    symlinkSync(RC_MODULES, join(dir, 'node_modules'), 'dir');
    const schema = join(dir, 'schema.ts');
    copyFileSync(this.schemaFile, schema);
    const out = join(dir, 'drizzle');
    return { dir, out, config: writeDrizzleConfig(dir, { schema, out }) };
  }

  readonly folder = new Lazy(async () => {
    const p = this.project('r-base');
    await this.ctx.exec(drizzleKit(['generate', '--name', 'init'], { config: p.config, release: 'rc' }), `drizzle-kit 1.0-rc generate (${this.size} tables)`);
    return p;
  });

  /** A database at the schema, migrated by drizzle-kit 1.0-rc's `migrate` (a template: never connected to). */
  readonly db = new Lazy(async () => {
    const p = await this.folder.get();
    const db = await this.ctx.server.createDatabase('tpl_r');
    await this.ctx.exec(drizzleKit(['migrate'], { config: p.config, url: this.ctx.server.url(db), release: 'rc' }), `drizzle-kit 1.0-rc migrate (${this.size} tables)`);
    expect((await tableCount(this.ctx.server, db)) === this.size, `drizzle-kit 1.0-rc migrate did not build ${this.size} tables`);
    return db;
  });
}
