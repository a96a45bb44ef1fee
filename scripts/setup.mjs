#!/usr/bin/env node
// Brings a fresh clone to a working state with only Node and npm: installs the workspace with the
// pinned pnpm, then builds every package. Safe to run again: both steps are incremental.
import { existsSync } from 'node:fs';
import { pnpm } from './pnpm.mjs';

const root = new URL('..', import.meta.url).pathname;

export function setup({ quiet = false } = {}) {
  const frozen = existsSync(`${root}pnpm-lock.yaml`) ? ['--frozen-lockfile'] : [];
  const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
  if (pnpm(['install', ...frozen, '--reporter=silent'], { cwd: root, stdio }) !== 0) {
    throw new Error('pnpm install failed (see above)');
  }
  if (pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio }) !== 0) {
    throw new Error('the build failed (see above)');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    setup();
  } catch (e) {
    console.error(`setup: ${e.message}`);
    process.exit(1);
  }
}
