import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * TEST SUPPORT ONLY: writes generated files into a fresh temporary directory that resolves
 * `drizzle-orm` (a `node_modules` link to this package's), returning the directory.
 */
export function writeGenerated(files: { path: string; content: string }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-codegen-'));
  symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
  for (const f of files) {
    const path = join(dir, 'schema', f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
  return join(dir, 'schema');
}

/** TypeScript's diagnostics for the files (strict mode, as a user's project would compile them). */
export function typecheck(dir: string, files: { path: string }[]): string[] {
  const program = ts.createProgram(files.map((f) => join(dir, f.path)), {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [], noUnusedLocals: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}
