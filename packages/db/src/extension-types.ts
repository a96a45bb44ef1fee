/** Types that common extensions add, by type name: what to create when the server lacks one. */
const EXTENSION_OF_TYPE: Readonly<Record<string, string>> = {
  vector: 'vector', halfvec: 'vector', sparsevec: 'vector',
  citext: 'citext', hstore: 'hstore', ltree: 'ltree', lquery: 'ltree', ltxtquery: 'ltree', cube: 'cube', seg: 'seg',
  earth: 'earthdistance', isbn: 'isn', isbn13: 'isn', ean13: 'isn', issn: 'isn', issn13: 'isn', ismn: 'isn', ismn13: 'isn', upc: 'isn',
  geometry: 'postgis', geography: 'postgis', box2d: 'postgis', box3d: 'postgis',
};

/**
 * The extension that provides the type a "type … does not exist" error (42704) names, or null
 * when the error is another or the type is no known extension's.
 *
 * @example
 * extensionOfMissingType({ code: '42704', message: 'type "vector" does not exist' }) // => 'vector'
 */
export function extensionOfMissingType(pg: { code?: string; message: string }): string | null {
  if (pg.code !== '42704') return null;
  const name = /^type "(?:[^"]+\.)?([^".]+)" does not exist$/.exec(pg.message)?.[1];
  return name === undefined ? null : (EXTENSION_OF_TYPE[name] ?? null);
}

/**
 * What to do when the schema code uses a type of an extension the database does not have: create
 * the extension first, the way drizzle-kit projects do.
 *
 * @example
 * missingExtensionHint('vector') // => 'Create the extension "vector" before the tables that use it: …'
 */
export function missingExtensionHint(extension: string): string {
  return `Create the extension "${extension}" before the tables that use it: \`strata generate --custom --name ${extension.replace(/[^a-z0-9_]/gi, '_')}\`, write \`CREATE EXTENSION IF NOT EXISTS "${extension}";\` in it, then \`strata migrate\` (the embedded database registers the extensions the migrations create).`;
}
