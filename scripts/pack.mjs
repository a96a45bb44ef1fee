#!/usr/bin/env node
// `npm run pack [-- --out <dir>] [-- --no-build]`: one tarball per public workspace package
// (private ones — examples, bench, testing — are skipped), written by `pnpm pack`, which turns
// `workspace:` ranges into the real versions, so plain npm can install them. Default folder:
// `.pack/` at the repository root (git-ignored). Prints the tarballs' paths, one per line.
import { mkdirSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpm } from './pnpm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, '.pack'));

/** Every workspace package directory that is not private. */
export function publicPackages() {
  const dirs = ['packages', 'apps'].flatMap((top) =>
    existsSync(join(root, top)) ? readdirSync(join(root, top)).map((d) => join(root, top, d)) : [],
  );
  return dirs
    .filter((d) => existsSync(join(d, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true);
}

if (!args.includes('--no-build')) {
  const code = pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root });
  if (code !== 0) process.exit(code);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const { dir, pkg } of publicPackages()) {
  if (!existsSync(join(dir, 'dist'))) {
    console.error(`${pkg.name}: ${join(dir, 'dist')} is missing; build first (npm run build)`);
    process.exit(1);
  }
  const code = pnpm(['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (code !== 0) {
    console.error(`${pkg.name}: pnpm pack failed`);
    process.exit(code);
  }
}
for (const f of readdirSync(out).filter((f) => f.endsWith('.tgz')).sort()) console.log(join(out, f));
