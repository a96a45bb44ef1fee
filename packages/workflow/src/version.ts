import { createRequire } from 'node:module';

/** This package's version (part of cache keys). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
