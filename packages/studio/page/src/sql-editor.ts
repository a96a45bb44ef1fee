// The SQL console's editor: CodeMirror 6 with PostgreSQL highlighting and completion of the
// database's schemas, tables and columns. Imported lazily (its own chunk) when the SQL tab opens.
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { Prec } from '@codemirror/state';
import { PostgreSQL, keywordCompletionSource, schemaCompletionSource, type SQLNamespace } from '@codemirror/lang-sql';
import type { SchemaTable } from '../../src/api-types.ts';

export interface SqlEditorOptions {
  doc: string;
  tables: readonly SchemaTable[];
  onChange: (text: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
  testId?: string;
}

/** A live editor; `setText` replaces what it holds (a statement picked from the history). */
export interface SqlEditor {
  setText(text: string): void;
  focus(): void;
  destroy(): void;
}

/**
 * Schemas → tables → columns, as `@codemirror/lang-sql` completes them: `public`'s tables also
 * without their schema.
 *
 * @example
 * completionSchema([{ schema: 'public', name: 'users', columns: [{ name: 'id' }] }]) // { public: { users: ['id'] } }
 */
export function completionSchema(tables: readonly Pick<SchemaTable, 'schema' | 'name' | 'columns'>[]): SQLNamespace {
  const out: Record<string, Record<string, string[]>> = {};
  for (const t of tables) (out[t.schema] ??= {})[t.name] = t.columns.map((c) => c.name);
  return out;
}

/**
 * Mounts an editor in `parent`.
 *
 * @example
 * const editor = createSqlEditor(div, { doc: 'select 1', tables, onChange: setSql, onRun: run });
 */
export function createSqlEditor(parent: HTMLElement, options: SqlEditorOptions): SqlEditor {
  const lang = PostgreSQL.language;
  const keywords = keywordCompletionSource(PostgreSQL, false);
  // After `table.` only the table's columns make sense, not every keyword that matches.
  const keywordsNotAfterDot: typeof keywords = (ctx) =>
    /\.[\w$]*$/.test(ctx.state.sliceDoc(Math.max(0, ctx.pos - 64), ctx.pos)) ? null : keywords(ctx);
  const view = new EditorView({
    parent,
    doc: options.doc,
    extensions: [
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { options.onRun(); return true; } }])),
      basicSetup,
      PostgreSQL.extension,
      lang.data.of({ autocomplete: schemaCompletionSource({ dialect: PostgreSQL, schema: completionSchema(options.tables), defaultSchema: 'public' }) }),
      lang.data.of({ autocomplete: keywordsNotAfterDot }),
      EditorView.updateListener.of((u) => { if (u.docChanged) options.onChange(u.state.doc.toString()); }),
      EditorView.contentAttributes.of({ 'data-testid': options.testId ?? 'sql-input', 'aria-label': 'SQL statement' }),
      EditorView.lineWrapping,
    ],
  });
  return {
    setText(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
}
