// Moved to @strata/model; re-exported for the files of this package.
export { getEntry, setEntry } from '@strata/model';
