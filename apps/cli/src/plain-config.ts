// Apart from config.ts (which loads the TypeScript loader): prefetch.ts asks it too, before any
// loader is imported, whether esbuild will be needed at all.

/** `from '@strata/cli'` or `from '@strata/cli/config'`: defineConfig, the one import a plain config has. */
const DEFINE_CONFIG_IMPORT = /\bimport\s*\{[\w\s,$]*\}\s*from\s*(['"])@strata\/cli(?:\/config)?\1/g;

/**
 * Text that JavaScript may read differently from TypeScript (`<`: `f<T>(x)` is a generic call in
 * TypeScript, two comparisons in JavaScript), or that needs what only the loader gives a module:
 * CommonJS (`require`, `module`, `exports`, `__dirname`, `this` as `exports`), the file's own URL,
 * imports relative to the file. A false alarm (the word in a comment) only costs the fast path.
 */
const NEEDS_LOADER = /<|\bimport\s*\(|\bimport\.meta\b|\brequire\b|\bmodule\b|\bexports\b|__dirname|__filename|\bthis\b/;

/**
 * The config file's text as a JavaScript module to import as it is, or null when it must go
 * through the TypeScript loader. Most configs are plain JavaScript (`strata init` writes one:
 * `import { defineConfig } from '@strata/cli'; export default defineConfig({ … })`); importing
 * them directly spares a short command (status, migrate) the transformer's start, most of its
 * time. `@strata/cli` is pointed at `defineConfigUrl`, in place, so lines and columns stay.
 * Whatever is TypeScript (a type annotation, `as`, `import type`) is a syntax error as
 * JavaScript: the caller then uses the loader, which also runs any config that throws again, for
 * the error with its line.
 *
 * @example
 * plainConfigModule(`import { defineConfig } from '@strata/cli';\nexport default defineConfig({ out: './m' });\n`, 'file:///cli/define-config.js')
 * // => "import { defineConfig } from 'file:///cli/define-config.js';\nexport default defineConfig({ out: './m' });\n"
 * plainConfigModule(`const c: { out: string } = { out: './m' }; export default c;`, 'file:///cli/define-config.js') // => the text (a syntax error when imported)
 * plainConfigModule(`import { x } from './shared.js'; export default x;`, 'file:///cli/define-config.js') // => null
 */
export function plainConfigModule(text: string, defineConfigUrl: string): string | null {
  if (NEEDS_LOADER.test(text) || !/\bexport\s+default\b/.test(text)) return null;
  const allowed = text.match(DEFINE_CONFIG_IMPORT)?.length ?? 0;
  // Any other import or re-export (a relative file, a package, node:…) is resolved by the loader.
  if ((text.match(/\bimport\b/g)?.length ?? 0) !== allowed || (text.match(/\bfrom\s*['"]/g)?.length ?? 0) !== allowed) return null;
  return text.replace(DEFINE_CONFIG_IMPORT, (statement, quote: string) =>
    statement.replace(/(['"])@strata\/cli(?:\/config)?\1$/, `${quote}${defineConfigUrl}${quote}`));
}

let imported = 0;

/**
 * Imports a module from its text (a `data:` URL): its default export, or undefined when it has
 * none or does not load. Each call runs the text afresh (a config reads the environment of the
 * moment), as the loader does.
 *
 * @example
 * await importPlainConfig(`export default { out: './m' };`) // => { out: './m' }
 */
export async function importPlainConfig(moduleText: string): Promise<unknown> {
  // A module is cached by its URL: a comment of its own makes each URL new.
  const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(`${moduleText}\n// strata config ${++imported}`)}`;
  try {
    const ns = (await import(url)) as { default?: unknown };
    return ns.default;
  } catch {
    return undefined;
  }
}
