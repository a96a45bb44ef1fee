import type { ProcessResult } from '../measure.js';
import { drizzleKitBare, strata } from '../tools.js';
import { expect } from '../db-checks.js';
import type { RowDef } from './row-def.js';

/**
 * A command that does no work at all (`--version`, `--help`): what starting the tool costs, the
 * floor under every other row. Run in an empty directory, no database, no config.
 */
function startUpRow(flag: '--version' | '--help', id: string, title: string, expected: { strata: RegExp; other: RegExp }): RowDef {
  return {
    id,
    title,
    needs: [],
    sized: false,
    otherLabel: `drizzle-kit ${flag}`,
    scenario: ({ ctx }) => {
      const side = (label: string, tool: 'strata' | 'drizzle-kit') => ({
        label,
        async prepare() {
          const dir = ctx.freshDir(id);
          return {
            steps: [tool === 'strata' ? strata([flag], { cwd: dir }) : drizzleKitBare([flag], dir)],
            async verify([r]: ProcessResult[]) {
              expect(expected[tool === 'strata' ? 'strata' : 'other'].test(r!.stdout), `${label} printed ${JSON.stringify(r!.stdout.slice(0, 200))}`);
            },
            async cleanup() {
              ctx.removeDir(dir);
            },
          };
        },
      });
      return { row: id, size: null, strata: side(`strata ${flag}`, 'strata'), other: side(`drizzle-kit ${flag}`, 'drizzle-kit') };
    },
  };
}

/** `--version`: start-up alone. */
export const versionRow = startUpRow('--version', 'version', 'start-up: --version', { strata: /^\d+\.\d+\.\d+/, other: /drizzle-kit: v\d/ });

/** `--help`: start-up and the command list. */
export const helpRow = startUpRow('--help', 'help', 'start-up: --help', { strata: /Commands:/, other: /Usage:/ });
