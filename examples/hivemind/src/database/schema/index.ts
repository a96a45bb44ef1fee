// The shared schema package: both services import it, and Strata reads it (strata.config.ts).
export * from './enums';
export * from './users';
export * from './posts';
