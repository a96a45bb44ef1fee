export * from './snapshot.js';
export { canonicalJson } from './canonical-json.js';
