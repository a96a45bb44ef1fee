// Moved to @strata/model; re-exported for the files of this package.
export { canonicalJson } from '@strata/model';
