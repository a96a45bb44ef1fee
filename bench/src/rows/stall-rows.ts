import type { BenchServer } from '../bench-server.js';
import { expect } from '../db-checks.js';
import type { ProcessResult, ProcessSpec } from '../measure.js';
import type { PreparedRun, Side } from '../scenario.js';
import { summarizeWrites } from '../stall/stall-figures.js';
import { describeWindow, sampleBlockers, type BlockerSampler, type BlockerSample } from '../stall/stall-sampler.js';
import type { StallTool } from '../stall/stall-fixtures.js';
import { holdReader, type HeldReader } from '../stall/stall-reader.js';
import { CHANGE_TARGET, STALL_TABLE, type StallChange } from '../stall/stall-schema.js';
import { REST_MS, startStallWriter, type StallWriter } from '../stall/stall-writer.js';
import { drizzleKit, strata } from '../tools.js';
import { freshDatabase, type RowDef, type RowEnv } from './row-def.js';

const now = () => performance.timeOrigin + performance.now();

/** The blockers worth a note: those that held the writer 20 ms or more. */
function blockerNote(blockers: BlockerSample[], migrateStartedAt: number): string | undefined {
  const big = blockers.filter((b) => b.approxMs >= 20).slice(0, 3);
  if (big.length === 0) return undefined;
  const at = (b: BlockerSample) => `first seen ${Math.round(b.firstAt - migrateStartedAt)} ms into migrate`;
  return `the writer waited (sampled every 10 ms) behind: ${big.map((b) => `\`${b.query}\` (for ${b.waitedFor}, ~${b.approxMs} ms in all, ${at(b)})`).join('; ')}`;
}

/** The catalog shows the change applied (and no INVALID index left behind); throws otherwise. */
async function checkApplied(server: BenchServer, database: string, change: StallChange, label: string): Promise<void> {
  await server.withClient(database, async (c) => {
    const one = async (sql: string, params: unknown[] = []) => (await c.query<{ v: unknown }>(sql, params)).rows[0]?.v;
    const table = `'"${STALL_TABLE}"'::regclass`;
    const invalid = await one('select count(*)::int as v from pg_index where not indisvalid');
    expect(invalid === 0, `${label} left ${String(invalid)} INVALID index(es)`);
    const ok =
      change === 'index' ? await one('select i.indisvalid as v from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = $1', [CHANGE_TARGET.index])
      : change === 'fk' ? await one(`select bool_and(convalidated) as v from pg_constraint where conrelid = ${table} and contype = 'f'`)
      : change === 'not-null' ? await one(`select attnotnull as v from pg_attribute where attrelid = ${table} and attname = 'note'`)
      : change === 'bigint' ? (await one(`select format_type(atttypid, atttypmod) as v from pg_attribute where attrelid = ${table} and attname = 'amount'`)) === 'bigint'
      : await one(`select true as v from pg_attribute where attrelid = ${table} and attname = $1 and not attisdropped`, [CHANGE_TARGET.column]);
    expect(ok === true, `${label}: the change (${change}) is not in the catalog afterwards`);
  });
}

/**
 * Strata's type change without a terminal: `generate` must stop with exit 2 (the rewrite would
 * block writes) unless `--unsafe-plans` or `--multi-step`. Checked untimed before the measured run.
 */
async function strataStopsOnRewrite(env: RowEnv, spec: ProcessSpec): Promise<string> {
  const r = await env.ctx.exec({ ...spec, args: spec.args.filter((a) => a !== '--unsafe-plans') }, 'strata generate (type change, no flag)').then(
    () => null,
    (e: Error) => e.message,
  );
  expect(r !== null && /exit 2\b/.test(r), `strata generate of integer → bigint without --unsafe-plans should stop with exit 2, got: ${r ?? 'exit 0'}`);
  return 'strata generate stops with exit 2 on this change without a terminal; measured here with --unsafe-plans (the table rewrite); the multi-step row measures --multi-step';
}

/**
 * One side of a stall row. With `multiStep` (Strata, integer → bigint): `generate --multi-step`,
 * `migrate` (the expand and its backfill), then `migrate --contract` (the swap), all timed.
 */
function side(env: RowEnv, change: StallChange, size: number, tool: StallTool, label: string, multiStep = false): Side {
  const { ctx, stall } = env;
  return {
    label,
    async prepare(): Promise<PreparedRun> {
      const db = await freshDatabase(ctx, tool === 'strata' ? 'st_s' : 'st_d', await stall.template(tool, size));
      const p = stall.project(tool, stall.schemaFile(change), await stall.initFolder(tool));
      const name = `stall_${change.replace('-', '_')}`;
      const strataFlag = change !== 'bigint' ? [] : multiStep ? ['--multi-step'] : ['--unsafe-plans'];
      const generate = tool === 'strata'
        ? strata(['generate', '--name', name, ...strataFlag], { cwd: p.dir, config: p.config })
        : drizzleKit(['generate', '--name', name], { config: p.config });
      const migrate = tool === 'strata' ? strata(['migrate'], { cwd: p.dir, config: p.config, url: db.url }) : drizzleKit(['migrate'], { config: p.config, url: db.url });
      const contract = multiStep ? [strata(['migrate', '--contract'], { cwd: p.dir, config: p.config, url: db.url })] : [];
      let writer: StallWriter | null = null;
      let sampler: BlockerSampler | null = null;
      let reader: HeldReader | null = null;
      const stepStarts: number[] = [];
      try {
        const flagNote = tool === 'strata' && change === 'bigint' && !multiStep ? await strataStopsOnRewrite(env, generate) : undefined;
        writer = await startStallWriter(db.url, STALL_TABLE);
        sampler = await sampleBlockers(db.url, 'bench-stall-writer');
        await new Promise((resolve) => setTimeout(resolve, REST_MS));
        return {
          steps: [generate, migrate, ...contract],
          async beforeStep(index) {
            // The reader holds its lock before migrate starts, and until readerMs after the ALTER queued behind it.
            if (index === 1 && change === 'column') reader = await holdReader(db.url, STALL_TABLE, stall.settings.readerMs, ctx.timeoutMs);
            stepStarts[index] = now();
          },
          async verify(results: ProcessResult[]) {
            const log = await writer!.stop();
            writer = null;
            const { blockers, states } = await sampler!.stop();
            sampler = null;
            expect(log.errors === 0, `${log.errors} of the writer's inserts failed: ${log.firstError ?? ''}`);
            await checkApplied(ctx.server, db.name, change, label);
            const notes = flagNote ? [flagNote] : [];
            if (reader) {
              const r = reader as HeldReader;
              // migrate has ended: a reader still waiting for an ALTER would wait in vain.
              r.giveUp();
              const releasedAt = await r.released;
              const seenAt = r.alterSeenAt();
              // Honest only if the ALTER met the reader: it must have queued behind it.
              expect(seenAt !== null, `${label}: no ALTER was seen waiting behind the reader`);
              const migrateEnd = stepStarts[1]! + results[1]!.ms;
              notes.push(`the ALTER queued behind the reader ${Math.round(seenAt! - stepStarts[1]!)} ms after migrate started; the reader committed ${stall.settings.readerMs.toLocaleString('en-US')} ms later; migrate ended ${Math.round(migrateEnd - releasedAt)} ms after that`);
            }
            const blocked = blockerNote(blockers, stepStarts[1]!);
            if (blocked) notes.push(blocked);
            const figures = summarizeWrites(log, stepStarts);
            const worstAt = stepStarts[0]! + figures.maxAtMs;
            const stepName = ['generate', 'migrate', 'migrate --contract'][figures.maxStep] ?? `step ${figures.maxStep + 1}`;
            const where = `${Math.round(worstAt - stepStarts[figures.maxStep]!)} ms into ${stepName}`;
            const longest = `the longest write (${Math.round(figures.maxMs)} ms, ${where}) was seen as: ${describeWindow(states, worstAt, figures.maxMs)}`;
            // Where it is long enough to matter: what it waited for (a lock, or none: CPU, I/O).
            if (figures.maxMs >= 50) notes.push(longest);
            return { note: notes.join('; ') || undefined, stall: { ...figures, blockers, longest } };
          },
          async cleanup() {
            await writer?.stop().catch(() => undefined);
            await sampler?.stop().catch(() => undefined);
            (reader as HeldReader | null)?.giveUp();
            await (reader as HeldReader | null)?.released.catch(() => undefined);
            await db.drop();
            ctx.removeDir(p.dir);
          },
        };
      } catch (e) {
        await writer?.stop().catch(() => undefined);
        await sampler?.stop().catch(() => undefined);
        await db.drop();
        ctx.removeDir(p.dir);
        throw e;
      }
    },
  };
}

function stallRow(change: StallChange, title: string, multiStep = false): RowDef {
  const id = `stall-${change === 'column' ? 'lock-queue' : change}${multiStep ? '-multi-step' : ''}`;
  const strataLabel = multiStep ? 'strata generate --multi-step + migrate + migrate --contract' : `strata generate${change === 'bigint' ? ' --unsafe-plans' : ''} + migrate`;
  return {
    id,
    title,
    needs: ['generate', 'migrate'],
    sized: false,
    ownSizes: (env) => env.stall.settings.sizes,
    otherLabel: 'drizzle-kit generate + migrate',
    scenario: (env, size) => ({
      row: id,
      size,
      strata: side(env, change, size, 'strata', strataLabel, multiStep),
      other: side(env, change, size, 'drizzle-kit', 'drizzle-kit generate + migrate'),
    }),
  };
}

/**
 * The write-stall rows of issue 17: one change generated and applied to a large table while the
 * application's writer inserts into it; the longest write and the p99 show how long writes stalled.
 */
export const stallRows: RowDef[] = [
  stallRow('index', 'write stall: add an index'),
  stallRow('fk', 'write stall: add a foreign key'),
  stallRow('not-null', 'write stall: SET NOT NULL'),
  stallRow('bigint', 'write stall: integer → bigint'),
  stallRow('bigint', 'write stall: integer → bigint as a multi-step change (#18)', true),
  stallRow('column', 'write stall: add a column while a read transaction is open (lock queue)'),
];
