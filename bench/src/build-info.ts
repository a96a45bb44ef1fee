import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessResult } from './measure.js';
import { BENCH_DIR } from './tools.js';

const REPO = join(BENCH_DIR, '..');

/** A fingerprint of every built file Strata's CLI runs (apps/cli/dist, packages/*\/dist): names, sizes, times. */
export function buildFingerprint(): string {
  const hash = createHash('sha256');
  const dists = [join(REPO, 'apps/cli/dist'), ...readdirSync(join(REPO, 'packages')).map((p) => join(REPO, 'packages', p, 'dist'))];
  for (const dir of dists) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir, { recursive: true }) as string[]) {
      const st = statSync(join(dir, f));
      if (st.isFile()) hash.update(`${dir}/${f}:${st.size}:${st.mtimeMs}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** The commit the CLI was built from, and whether apps/ or packages/ had uncommitted changes. */
export function sourceRevision(): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = git(['status', '--porcelain', '--', 'apps', 'packages']).stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' with uncommitted changes in apps/ or packages/' : ''}`;
}

/**
 * Whether a Strata run failed because its built files were being rewritten (another build running
 * on the same checkout), which a retry a few seconds later gets past.
 */
export const isBuildRace = (r: ProcessResult): boolean => /ERR_MODULE_NOT_FOUND|Cannot find module '[^']*\/dist\//.test(r.stderr);
