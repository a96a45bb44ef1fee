/**
 * Turns a tagged template into a statement with `$1…$n` parameters: every `${value}` is sent as a
 * parameter, so a value can never become SQL.
 *
 * @example
 * toParameterized`update users set name = ${name} where id = ${id}`
 * // => { text: 'update users set name = $1 where id = $2', params: [name, id] }
 */
export function toParameterized(strings: TemplateStringsArray, ...values: unknown[]): { text: string; params: unknown[] } {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += `$${i + 1}${strings[i + 1] ?? ''}`;
  return { text, params: values };
}
