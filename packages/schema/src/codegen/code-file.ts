import { rebuildableSql } from '@strata/core';
import { sqlTemplate, templateText } from './ts-text.js';

/**
 * One generated TypeScript file: the names it imports (from drizzle-orm and from sibling files)
 * and its declarations, printed in a stable order.
 */
export class CodeFile {
  readonly #drizzle = new Set<string>();
  readonly #pgCore = new Set<string>();
  readonly #siblings = new Map<string, Set<string>>();
  readonly #preamble: string[] = [];
  readonly #declarations: string[] = [];

  constructor(readonly path: string) {}

  /** Uses a builder from `drizzle-orm/pg-core`; returns its name. */
  pgCore(name: string): string {
    this.#pgCore.add(name);
    return name;
  }

  /** Uses `sql` (or another export) from `drizzle-orm`. */
  drizzle(name: string): string {
    this.#drizzle.add(name);
    return name;
  }

  /** An ``sql`…` `` template holding `text` (importing `sql`), as SQL that builds the same expression again (`rebuildableSql`). */
  sql(text: string): string {
    this.drizzle('sql');
    return sqlTemplate(rebuildableSql(text));
  }

  /** An ``sql`${ref}…` `` template: a reference to a column (code) followed by SQL text. */
  sqlAfter(ref: string, text: string): string {
    this.drizzle('sql');
    return `sql\`\${${ref}}${templateText(text)}\``;
  }

  /** Uses an identifier exported by another generated file; returns the identifier. */
  sibling(path: string, identifier: string): string {
    if (path === this.path) return identifier;
    let set = this.#siblings.get(path);
    if (!set) this.#siblings.set(path, (set = new Set()));
    set.add(identifier);
    return identifier;
  }

  /** A declaration that must come before the others (schemas, custom types, referenced stubs). */
  addPreamble(code: string): void {
    this.#preamble.push(code);
  }

  add(code: string): void {
    this.#declarations.push(code);
  }

  render(header: string): string {
    const imports: string[] = [];
    const list = (names: Set<string>) => [...names].sort().join(', ');
    if (this.#drizzle.size > 0) imports.push(`import { ${list(this.#drizzle)} } from 'drizzle-orm';`);
    if (this.#pgCore.size > 0) imports.push(`import { ${list(this.#pgCore)} } from 'drizzle-orm/pg-core';`);
    for (const [path, names] of [...this.#siblings].sort(([a], [b]) => a.localeCompare(b))) {
      imports.push(`import { ${list(names)} } from '${relativeModule(this.path, path)}';`);
    }
    const blocks = [header.trimEnd(), imports.join('\n'), ...this.#preamble, ...this.#declarations].filter((b) => b.length > 0);
    return `${blocks.join('\n\n')}\n`;
  }
}

/** `./users` or `../public/users` from one generated file to another (no extension, as bundlers resolve). */
export function relativeModule(from: string, to: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const target = to.replace(/\.ts$/, '').split('/');
  let common = 0;
  while (common < fromDir.length && common < target.length - 1 && fromDir[common] === target[common]) common++;
  const up = fromDir.length - common;
  const rest = target.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}
