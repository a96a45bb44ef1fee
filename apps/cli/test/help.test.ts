import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runCli } from '@strata/testing';
import { buildProgram } from '../src/program.js';

/** Every command path of the program (`generate`, `snapshot create`, …), from the program itself. */
function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return c.commands.length > 0 ? [path, ...commandPaths(c, path)] : [path];
  });
}

const paths = commandPaths(await buildProgram({ exitCode: 0 }, undefined, true));
const cwd = mkdtempSync(join(tmpdir(), 'strata-help-'));

describe('strata --help', () => {
  it('knows every command of docs/cli.md', () => {
    const top = paths.filter((p) => p.length === 1).map((p) => p[0]);
    for (const name of ['init', 'generate', 'migrate', 'status', 'rollback', 'baseline', 'hash', 'check', 'push', 'pull', 'drop', 'studio', 'doctor', 'backup', 'restore', 'snapshot', 'data', 'lint']) {
      expect(top).toContain(name);
    }
  });

  it('prints the global help with the database order and exit codes', async () => {
    const r = await runCli(['--help'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--url <url>');
    expect(r.stdout).toContain('Exit codes');
  });

  it.each(paths.map((p) => [p.join(' '), p] as const))('strata %s --help shows usage and examples', async (_name, path) => {
    const r = await runCli([...path, '--help'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: strata /);
    expect(r.stdout).toContain('Examples:');
    // The global flags it honours, listed under the command's own options.
    expect(r.stdout).toContain('Global Options:');
    for (const flag of ['--config <file>', '--url <url>', '--json', '--yes', '--verbose']) expect(r.stdout).toContain(flag);
  });
});

describe('lazy command loading', () => {
  it('registers exactly the named command when argv names one, under its own name', async () => {
    const { COMMANDS } = await import('../src/commands/index.js');
    for (const { name } of COMMANDS) {
      const program = await buildProgram({ exitCode: 0 }, name);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
    }
  });

  it('finds the command after global options, and none for help or a typo', async () => {
    const { commandOf } = await import('../src/command-of.js');
    expect(commandOf(['node', 'strata', '--url', 'push', 'status'])).toBe('status');
    expect(commandOf(['node', 'strata', '--json', '--config', 'x.ts', 'push', '--force'])).toBe('push');
    expect(commandOf(['node', 'strata', 'help', 'push'])).toBe('push');
    expect(commandOf(['node', 'strata', 'help'])).toBeUndefined();
    expect(commandOf(['node', 'strata', 'pus'])).toBeUndefined();
    expect(commandOf(['node', 'strata', '--help'])).toBeUndefined();
  });

  it('lists every command for --help from the table alone, exactly as the loaded commands would', async () => {
    const { COMMANDS } = await import('../src/commands/index.js');
    const full = await buildProgram({ exitCode: 0 }, undefined, true);
    const listed = await buildProgram({ exitCode: 0 });
    // The table is the help's source when nothing is loaded: it must say what the modules say.
    const help = full.createHelp();
    expect(COMMANDS.map((c) => [c.name, c.term, c.summary])).toEqual(full.commands.map((c) => [c.name(), help.subcommandTerm(c), c.description()]));
    expect(listed.helpInformation()).toBe(full.helpInformation());
  });

  it('strata help <command> shows the command\'s own options', async () => {
    const r = await runCli(['help', 'push'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: strata push /);
    expect(r.stdout).toContain('--force');
  });

  it('still suggests the right command for a typo', async () => {
    const r = await runCli(['pussh'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('push');
  });
});

describe('prefetching sources', () => {
  it("reads the schema paths from the config's text", async () => {
    const { guessSchemaPaths } = await import('../src/prefetch.js');
    expect(guessSchemaPaths(`export default { schema: './src/schema.ts', out: './m' }`)).toEqual(['./src/schema.ts']);
    expect(guessSchemaPaths(`export default defineConfig({\n  schema: ["./a.ts", './b.ts'],\n})`)).toEqual(['./a.ts', './b.ts']);
    expect(guessSchemaPaths(`export default {\n  "schema": "/abs/schema.ts",\n  "out": "./m"\n}`)).toEqual(['/abs/schema.ts']);
    expect(guessSchemaPaths(`export default { schema: './src/**/*.ts' }`)).toEqual([]); // globs are left to the loader
    expect(guessSchemaPaths(`export default { schema: schemaDir }`)).toEqual([]);
  });
});
