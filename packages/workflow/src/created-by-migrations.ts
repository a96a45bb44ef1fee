import type { Change } from '@strata/diff';
import type { Migration } from '@strata/runner';

interface RangeVarNode { schemaname?: string; relname?: string }

/** `schema.name` of a relation or type a statement creates (unqualified names land in `public`, the pinned search_path). */
function createdBy(node: Record<string, unknown>): string | null {
  const rel = (r: RangeVarNode | undefined) => (r?.relname ? `${r.schemaname ?? 'public'}.${r.relname}` : null);
  const [kind, body] = Object.entries(node)[0] ?? [];
  const b = body as Record<string, unknown> | undefined;
  switch (kind) {
    case 'CreateStmt': return rel(b?.relation as RangeVarNode);
    case 'ViewStmt': return rel(b?.view as RangeVarNode);
    case 'CreateTableAsStmt': return rel((b?.into as { rel?: RangeVarNode } | undefined)?.rel);
    case 'CreateSeqStmt': return rel(b?.sequence as RangeVarNode);
    case 'CreateEnumStmt': {
      const parts = ((b?.typeName ?? []) as { String?: { sval?: string } }[]).map((p) => p.String?.sval ?? '');
      return parts.length === 1 ? `public.${parts[0]}` : parts.length === 2 ? `${parts[0]}.${parts[1]}` : null;
    }
    default: return null;
  }
}

/** The object a change creates, as `schema.name`, for the kinds a migration's SQL can create. */
export function createdObject(c: Change): string | null {
  switch (c.kind) {
    case 'create-table': return `${c.table.schema}.${c.table.name}`;
    case 'create-view': return `${c.view.schema}.${c.view.name}`;
    case 'create-enum': return `${c.enum.schema}.${c.enum.name}`;
    case 'create-sequence': return `${c.sequence.schema}.${c.sequence.name}`;
    default: return null;
  }
}

/**
 * Which applied migration's SQL creates each object (`schema.name` → migration name), read with
 * PostgreSQL's parser: what `check` names when the database has an object the schema code does
 * not declare (a `--custom` migration made it, not a person). A file the parser refuses is skipped.
 *
 * @example
 * (await createdByMigrations(applied)).get('public.audit_log') // => '20261204120000_audit'
 */
export async function createdByMigrations(migrations: readonly Migration[]): Promise<Map<string, string>> {
  const { loadSqlParser } = await import('@strata/sql');
  const parser = await loadSqlParser();
  const made = new Map<string, string>();
  for (const m of migrations) {
    let statements: { node: unknown }[];
    try {
      statements = parser.parse(m.up.sql);
    } catch {
      continue;
    }
    for (const s of statements) {
      const name = createdBy(s.node as Record<string, unknown>);
      if (name && !made.has(name)) made.set(name, m.name);
    }
  }
  return made;
}
