export { ERROR_CODES, StrataError, isStrataError, type ErrorCode, type StrataErrorOptions } from './errors.js';
export { quoteIdent, qualify, quoteLiteral, truncateIdentifier, cutToBytes, makeObjectName, nameTag, taggedObjectName, MAX_IDENTIFIER_BYTES } from './identifiers.js';
export { ensureIgnoredDir } from './ensure-ignored-dir.js';
export { refuseInProduction, type ProductionFlag } from './production-guard.js';
export { maskSecrets, urlAmbiguity, SECRET_MASK, PERCENT_ENCODE_HINT } from './mask-secrets.js';
export { prepareTransform, preparedTransform, preparedTransforms, sourceTransformOptions, type SourceTransformOptions } from './transform-cache.js';
export { formatCount } from './format-count.js';
export { drizzleOrmVersionFrom } from './drizzle-orm-version.js';
export { tokenizeSql, identValue, matchingParen, type SqlToken } from './sql-tokens.js';
