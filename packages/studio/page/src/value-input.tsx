import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ColumnInfo } from '../../src/api-types.ts';
import { inputKind, placeholderFor } from './format.ts';

/** What an editor holds: a value's text, NULL, or (when inserting) the column's default. */
export type EditValue = { kind: 'value'; text: string } | { kind: 'null' } | { kind: 'default' };

interface Props {
  col: ColumnInfo;
  value: EditValue;
  onChange: (v: EditValue) => void;
  /** Offer "default" (inserts). */
  allowDefault?: boolean;
  autoFocus?: boolean;
  onEnter?: () => void;
  onEscape?: () => void;
  testId?: string;
}

/** An input that fits the column's type: a select for booleans and enums, a number, date or JSON editor… */
export function ValueInput({ col, value, onChange, allowDefault, autoFocus, onEnter, onEscape, testId }: Props) {
  const text = value.kind === 'value' ? value.text : '';
  // Decided once per editor: switching from an input to a textarea while typing would lose focus.
  const [kind] = useState(() => inputKind(col, text));
  const set = (t: string) => onChange({ kind: 'value', text: t });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onEscape?.();
    else if (e.key === 'Enter' && (kind !== 'json' && kind !== 'long-text' ? true : e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onEnter?.();
    }
  };
  const disabled = value.kind !== 'value';
  let field: JSX.Element;
  switch (kind) {
    case 'boolean':
    case 'enum': {
      const options = kind === 'boolean' ? ['true', 'false'] : (col.enumValues ?? []);
      field = (
        <select data-testid={testId} disabled={disabled} value={text} autoFocus={autoFocus} onKeyDown={onKeyDown}
          onChange={(e) => set((e.target as HTMLSelectElement).value)}>
          {!options.includes(text) && <option value={text}>{text === '' ? '(choose)' : text}</option>}
          {options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      );
      break;
    }
    case 'number':
      field = <input data-testid={testId} type="number" step="any" disabled={disabled} value={text} autoFocus={autoFocus} placeholder={col.type}
        onKeyDown={onKeyDown} onInput={(e) => set((e.target as HTMLInputElement).value)} />;
      break;
    case 'date':
      field = <input data-testid={testId} type="date" disabled={disabled} value={text} autoFocus={autoFocus}
        onKeyDown={onKeyDown} onInput={(e) => set((e.target as HTMLInputElement).value)} />;
      break;
    case 'json':
    case 'long-text':
      field = <textarea data-testid={testId} rows={kind === 'json' ? 4 : 2} disabled={disabled} value={text} autoFocus={autoFocus}
        placeholder={kind === 'json' ? '{"key": "value"}  (Ctrl+Enter to save)' : 'text  (Ctrl+Enter to save)'}
        onKeyDown={onKeyDown} onInput={(e) => set((e.target as HTMLTextAreaElement).value)} />;
      break;
    case 'text':
      field = <input data-testid={testId} type="text" disabled={disabled} value={text} autoFocus={autoFocus} placeholder={placeholderFor(col)}
        onKeyDown={onKeyDown} onInput={(e) => set((e.target as HTMLInputElement).value)} />;
      break;
    default: {
      const never: never = kind;
      throw new Error(`unknown input kind ${String(never)}`);
    }
  }
  return (
    <span class="value-input">
      {field}
      {col.nullable && (
        <label class="flag" title="store NULL">
          <input type="checkbox" checked={value.kind === 'null'} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? { kind: 'null' } : { kind: 'value', text: '' })} />
          NULL
        </label>
      )}
      {allowDefault && (
        <label class="flag" title={col.default ? `default: ${col.default}` : 'the column default'}>
          <input type="checkbox" checked={value.kind === 'default'} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? { kind: 'default' } : { kind: 'value', text: '' })} />
          default
        </label>
      )}
    </span>
  );
}
