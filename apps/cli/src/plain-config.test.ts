import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { loadConfig } from './config.js';
import { importPlainConfig, plainConfigModule } from './plain-config.js';

const DEFINE = 'file:///cli/define-config.js';
const INIT_CONFIG = `import { defineConfig } from '@strata/cli';

export default defineConfig({
  schema: './src/database/schema',
  out: './database/migrations',
  // Unset DATABASE_URL: an embedded PGlite database in .strata/pglite (git-ignored).
  dbUrl: process.env.DATABASE_URL ?? 'pglite:.strata/pglite',
});
`;

describe('plainConfigModule', () => {
  it("points defineConfig's import at the given module, in place (lines and columns stay)", () => {
    const m = plainConfigModule(INIT_CONFIG, DEFINE);
    expect(m).toBe(INIT_CONFIG.replace("'@strata/cli'", `'${DEFINE}'`));
    expect(plainConfigModule(`import {defineConfig} from "@strata/cli/config"; export default defineConfig({});`, DEFINE))
      .toBe(`import {defineConfig} from "${DEFINE}"; export default defineConfig({});`);
    expect(plainConfigModule(`export default { out: './m' };`, DEFINE)).toBe(`export default { out: './m' };`);
  });

  it('leaves to the loader what needs it: other imports, CommonJS, the file URL, `<`, no default export', () => {
    for (const text of [
      `import { x } from './shared.js';\nexport default x;`,
      `import 'dotenv/config';\nexport default {};`,
      `import { defineConfig } from '@strata/cli';\nexport { y } from './y.js';\nexport default defineConfig({});`,
      `const { join } = require('node:path');\nexport default {};`,
      `module.exports = { out: './m' };`,
      `export default { out: new URL('./m', import.meta.url).pathname };`,
      `export default { out: __dirname };`,
      `const n = f<number>(1);\nexport default { lockTimeoutMs: n };`,
      `export default await import('./c.js');`,
      `export const out = './m';`,
    ]) expect(plainConfigModule(text, DEFINE), text).toBeNull();
  });
});

describe('importPlainConfig', () => {
  it("returns the module's default export, run afresh each time", async () => {
    const text = `export default { dbUrl: process.env.STRATA_PLAIN_CONFIG_TEST };`;
    process.env.STRATA_PLAIN_CONFIG_TEST = 'one';
    expect(await importPlainConfig(text)).toEqual({ dbUrl: 'one' });
    process.env.STRATA_PLAIN_CONFIG_TEST = 'two';
    expect(await importPlainConfig(text)).toEqual({ dbUrl: 'two' });
    delete process.env.STRATA_PLAIN_CONFIG_TEST;
  });

  it('returns undefined for TypeScript and for a module that throws (the loader then reports it)', async () => {
    expect(await importPlainConfig(`const c: { out: string } = { out: './m' };\nexport default c;`)).toBeUndefined();
    expect(await importPlainConfig(`export default { out: oops };`)).toBeUndefined();
  });
});

describe('loadConfig', () => {
  const write = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'strata-plain-config-')), 'strata.config.ts');
    writeFileSync(file, text);
    return file;
  };

  it('loads plain JavaScript and TypeScript configs alike', async () => {
    const plain = await loadConfig(write(INIT_CONFIG.replace("process.env.DATABASE_URL ?? 'pglite:.strata/pglite'", "'postgres://a@h/db'")));
    expect(plain).toMatchObject({ schema: [expect.stringMatching(/src\/database\/schema$/)], out: expect.stringMatching(/database\/migrations$/), dbUrl: 'postgres://a@h/db' });
    const typed = await loadConfig(write(`import { defineConfig, type StrataConfig } from '@strata/cli';\nconst out: string = './m';\nexport default defineConfig({ out, dbUrl: 'postgres://a@h/db' } satisfies StrataConfig);\n`));
    expect(typed).toMatchObject({ out: expect.stringMatching(/\/m$/), dbUrl: 'postgres://a@h/db' });
  });

  it('checks targets with the fleet schema, naming what they must be', async () => {
    const ok = await loadConfig(write(`export default { targets: ['postgres://a@h/one', { url: 'postgres://a@h/two', name: 'two' }] };`));
    expect(ok.targets).toEqual(['postgres://a@h/one', { url: 'postgres://a@h/two', name: 'two' }]);
    const file = write(`export default { targets: [1] };`);
    const e = await loadConfig(file).catch((x: unknown) => x);
    expect(isStrataError(e) && e.code).toBe('CONFIG_INVALID');
    expect((e as Error).message).toBe(`${file}: "targets" must be an array of URLs or { url, schema?, name? } objects, or { control, query }, got [1]`);
  });
});
