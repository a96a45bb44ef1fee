export { loadSqlParser, lineColumnAt, type SqlParser, type ParsedStatement, type ScanToken } from './parser.js';
export type { Node, ParseResult } from 'libpg-query';
