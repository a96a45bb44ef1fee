import { createRequire } from 'node:module';

// esbuild and jiti are CommonJS packages. `import` of a CommonJS file makes Node scan its whole
// source for named exports (cjs-module-lexer: ~35 ms for jiti's 190 kB and esbuild's 97 kB on
// every start of a command that loads schema code); `require` does not. get-tsconfig ships both
// builds: its CommonJS one loads in half the time of its ESM one (~6 ms against ~12 ms).
const require = createRequire(import.meta.url);

/**
 * esbuild's API, loaded on first use.
 *
 * @example
 * const { code } = esbuild().transformSync('const a: number = 1', { loader: 'ts' });
 */
export const esbuild = (): typeof import('esbuild') => require('esbuild') as typeof import('esbuild');

/**
 * jiti's `createJiti`, loaded on first use.
 *
 * @example
 * const jiti = createJiti()(import.meta.url, { moduleCache: false });
 */
export const createJiti = (): typeof import('jiti').createJiti => (require('jiti') as typeof import('jiti')).createJiti;

/**
 * get-tsconfig's API (its CommonJS build), loaded on first use.
 *
 * @example
 * const found = getTsconfigLib().getTsconfig('/app');
 */
export const getTsconfigLib = (): typeof import('get-tsconfig') => require('get-tsconfig') as typeof import('get-tsconfig');

/**
 * valibot (its CommonJS build), loaded on first use: only reading a snapshot needs it.
 *
 * @example
 * valibot().safeParse(snapshotSchema(), json);
 */
export const valibot = (): typeof import('valibot') => require('valibot') as typeof import('valibot');
