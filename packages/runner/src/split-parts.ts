import type { MigrationPart } from './migration.js';
import type { PartMarker, SqlStatement } from './sql-splitter.js';

/**
 * Groups a file's statements into its parts at the part markers. The text before the first
 * marker is part 1 (outside a transaction when `firstNoTransaction`, the legacy header); it is
 * left out when it holds no statement and markers follow, so a file may start with a marker.
 *
 * @example
 * const { statements, markers } = scanSql(text);
 * splitParts(statements, markers, false).map((p) => p.noTransaction) // => [false, true]
 */
export function splitParts(statements: readonly SqlStatement[], markers: readonly PartMarker[], firstNoTransaction: boolean): MigrationPart[] {
  const bounds = [{ after: 0, noTransaction: firstNoTransaction, line: 1 }, ...markers];
  const parts: MigrationPart[] = [];
  bounds.forEach((b, i) => {
    const end = i + 1 < bounds.length ? bounds[i + 1]!.after : statements.length;
    const own = statements.slice(b.after, end);
    if (i === 0 && own.length === 0 && bounds.length > 1) return;
    parts.push({ index: parts.length + 1, noTransaction: b.noTransaction, line: b.line, statements: own });
  });
  return parts;
}
