import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { BackendKind } from '@strata/db';
import { openDatabase } from '@strata/db';
import { createTestDatabase, runCli, type CliResult, type TestDatabase } from '@strata/testing';

const example = fileURLToPath(new URL('..', import.meta.url));

/**
 * A scratch copy of examples/hivemind on one backend, driven through the real `strata` binary.
 * It lives under the example (in the git-ignored `.demo/`) so its schema files resolve
 * drizzle-orm and @strata/cli from the example's own node_modules, as in a real project.
 */
export class GuideProject {
  readonly dir: string;
  private constructor(readonly db: TestDatabase, readonly backend: BackendKind) {
    this.dir = join(example, '.demo', `guide-${backend}-${process.pid}-${Date.now()}`);
    mkdirSync(this.dir, { recursive: true });
    cpSync(join(example, 'src'), join(this.dir, 'src'), { recursive: true });
    cpSync(join(example, 'strata.config.ts'), join(this.dir, 'strata.config.ts'));
    // The example's code is where its committed history ends (phone_number added, name renamed
    // to full_name); the guide's walk starts before both, with no migration yet.
    startOfGuide(join(this.dir, 'src/database/schema/users.ts'));
  }

  static async create(backend: BackendKind): Promise<GuideProject> {
    return new GuideProject(await createTestDatabase(backend), backend);
  }

  /** Runs `strata …` in the project with DATABASE_URL pointing at this backend's database. */
  async strata(...args: string[]): Promise<CliResult> {
    await this.db.closeClient(); // an embedded directory is used by one process at a time
    return runCli(args, { cwd: this.dir, env: { DATABASE_URL: this.db.url }, timeoutMs: 120_000 });
  }

  /** Like `strata` but the command must succeed. */
  async ok(...args: string[]): Promise<CliResult> {
    const r = await this.strata(...args);
    expect(r.code, `strata ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
    return r;
  }

  /** Runs SQL on the project's database (between CLI runs). */
  async sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    const c = await this.db.client();
    return (await c.query<R>(text, params)).rows;
  }

  /** Runs a script of several statements on the project's database. */
  async exec(text: string): Promise<void> {
    const c = await this.db.client();
    await c.exec(text);
  }

  async columns(table: string): Promise<string[]> {
    const rows = await this.sql<{ c: string }>(
      `select column_name as c from information_schema.columns where table_schema = 'public' and table_name = $1 order by ordinal_position`,
      [table],
    );
    return rows.map((r) => r.c);
  }

  file(rel: string): string {
    return readFileSync(join(this.dir, rel), 'utf8');
  }

  write(rel: string, text: string): void {
    mkdirSync(join(this.dir, rel, '..'), { recursive: true });
    writeFileSync(join(this.dir, rel), text);
  }

  /** Edits a schema file: `from` must be there (so a test never edits nothing). */
  edit(rel: string, from: string, to: string): void {
    const text = this.file(rel);
    expect(text, `${rel} should contain ${from}`).toContain(from);
    this.write(rel, text.replace(from, to));
  }

  migrations(): string[] {
    try {
      return readdirSync(join(this.dir, 'database/migrations')).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql')).sort();
    } catch {
      return [];
    }
  }

  /** The newest up and down migration files. */
  newest(): { name: string; up: string; down: string } {
    const up = this.migrations().at(-1)!;
    const name = up.slice(0, -'.sql'.length);
    return { name, up: this.file(`database/migrations/${up}`), down: this.file(`database/migrations/${name}.down.sql`) };
  }

  async dispose(): Promise<void> {
    await this.db.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Opens a database URL briefly (e.g. one the CLI restored into). */
export async function withDatabase<T>(url: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(url);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Rewrites users.ts to the guide's starting point: `name` as it was, no `phone_number`. */
export function startOfGuide(usersFile: string): void {
  const text = readFileSync(usersFile, 'utf8');
  const final = "    fullName: text('full_name'),\n    phoneNumber: varchar('phone_number', { length: 20 }),\n";
  if (!text.includes(final)) throw new Error(`${usersFile}: not the example's final users table`);
  writeFileSync(usersFile, text.replace(final, "    name: text('name'),\n"));
}
