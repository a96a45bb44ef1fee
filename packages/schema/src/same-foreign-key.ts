import type { ForeignKey } from './snapshot.js';

/**
 * Whether two foreign keys have one definition (columns, referenced table and columns, actions),
 * names left out: the serializer folds one written twice, the diff tells a rename from a change.
 *
 * @example
 * sameForeignKey(a, { ...a, name: 'other' }) // => true
 */
export function sameForeignKey(a: ForeignKey, b: ForeignKey): boolean {
  const definition = (k: ForeignKey) => JSON.stringify([k.columns, k.foreignSchema, k.foreignTable, k.foreignColumns, k.onDelete, k.onUpdate]);
  return definition(a) === definition(b);
}
