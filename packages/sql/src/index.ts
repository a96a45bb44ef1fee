export { loadSqlParser, lineColumnAt, type SqlParser, type ParsedStatement } from './parser.js';
export type { Node, ParseResult } from 'libpg-query';
