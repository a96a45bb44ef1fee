/** The line that starts a part run in a transaction. */
export const PART_MARKER = '--> strata:part';
/** The line that starts a part run outside a transaction. */
export const PART_MARKER_NO_TRANSACTION = '--> strata:part no-transaction';
/** The legacy first line that makes a whole (unsplit) file run outside a transaction. */
export const NO_TRANSACTION_HEADER = '-- strata:no-transaction';

/** One part of a migration file: the statements between two part markers. */
export interface MigrationPart {
  /** 0-based index of the part in its file. */
  index: number;
  /** Runs inside a transaction (the default) or statement by statement. */
  transactional: boolean;
  /** Character offsets of the part's text in the file: [start, end). */
  start: number;
  end: number;
  /** 1-based line of the part's first line (the marker's line for every part but the first). */
  line: number;
}

/**
 * Splits a migration file into its parts: the text before the first `--> strata:part` line is the
 * first part (transactional unless the file starts with `-- strata:no-transaction`); each marker
 * line starts a new part, outside a transaction with `--> strata:part no-transaction`.
 *
 * @example
 * migrationParts('create table t (a int);\n--> strata:part no-transaction\ncreate index concurrently i on t (a);')
 * // [{ index: 0, transactional: true, … }, { index: 1, transactional: false, … }]
 */
export function migrationParts(sql: string): MigrationPart[] {
  const text = sql.replace(/^\uFEFF/, '');
  const bom = sql.length - text.length;
  const firstLine = text.split('\n', 1)[0]!.trim();
  const parts: MigrationPart[] = [{ index: 0, transactional: firstLine !== NO_TRANSACTION_HEADER, start: 0, end: sql.length, line: 1 }];
  let offset = bom;
  let line = 1;
  for (const raw of text.split('\n')) {
    const marker = raw.replace(/\r$/, '').trimEnd();
    if (marker === PART_MARKER || marker === PART_MARKER_NO_TRANSACTION) {
      parts.at(-1)!.end = offset;
      parts.push({ index: parts.length, transactional: marker === PART_MARKER, start: offset, end: sql.length, line });
    }
    offset += raw.length + 1;
    line++;
  }
  return parts;
}
