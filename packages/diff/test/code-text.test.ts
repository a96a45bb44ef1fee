import { expect, it } from 'vitest';
import { withCodeText } from '@strata/db';
import { check, col, snap, table } from './build.js';

/** A one-table snapshot whose table `name` holds a check with `expression`. */
const one = (name: string, expression: string) => {
  const s = snap();
  s.schemas.public!.tables[name] = table('public', name, [col('state', 'character varying(20)')], { checks: [check('state_valid', expression)] });
  return s;
};
const CODE = `state IN ('a', 'b')`;
const SPELLED = `((state)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`;
const expressionOf = (s: ReturnType<typeof one>, name: string) => s.schemas.public!.tables[name]!.checks.state_valid!.expression;

it('takes the code’s text for what the database does not hold, and keeps a spelling it holds', () => {
  // new: the code's text, which builds what the code says
  expect(expressionOf(withCodeText(one('parts', SPELLED), one('parts', CODE), snap()), 'parts')).toBe(CODE);
  // unchanged: the spelling, equal to live's, so no change is planned
  expect(expressionOf(withCodeText(one('parts', SPELLED), one('parts', CODE), one('parts', SPELLED)), 'parts')).toBe(SPELLED);
  // a renamed table: live holds the spelling under the old name; it is kept, so the rename is all that changes
  expect(expressionOf(withCodeText(one('pieces', SPELLED), one('pieces', CODE), one('parts', SPELLED)), 'pieces')).toBe(SPELLED);
});
