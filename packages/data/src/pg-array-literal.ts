/** A value of a PostgreSQL array literal: an element's text, null for NULL, or a nested array. */
export type ArrayElement = string | null | ArrayElement[];

/**
 * Parses PostgreSQL's text form of an array (`{a,"b c",NULL,{1,2}}`, optionally with bounds such
 * as `[0:1]={…}`) into nested arrays of element texts; an unquoted NULL is null. Elements stay
 * text: the caller parses each one by the element type.
 *
 * @example
 * parseArrayLiteral('{a,"x,\\"y",NULL}') // => ['a', 'x,"y', null]
 */
export function parseArrayLiteral(text: string): ArrayElement[] {
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  const parse = (): ArrayElement[] => {
    const out: ArrayElement[] = [];
    i++; // the opening brace
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') out.push(parse());
      else if (text[i] === '"') {
        let value = '';
        for (i++; text[i] !== '"'; i++) value += text[i] === '\\' ? text[++i] : text[i];
        i++;
        out.push(value);
      } else {
        const start = i;
        while (text[i] !== ',' && text[i] !== '}') i++;
        const value = text.slice(start, i).trim();
        out.push(value === 'NULL' ? null : value);
      }
      if (text[i++] === '}') return out;
    }
  };
  return parse();
}
