import * as v from 'valibot';
import { StrataError } from '@strata/core';
import type { TargetsSource } from './target.js';

// Its own entry (`@strata/fleet/targets-source`): the CLI checks a config's `targets` key with it
// on every command, without loading the rest of the fleet (the diff, the schema loader).

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));
const specSchema = v.strictObject({ url: nonEmpty, schema: v.optional(nonEmpty), name: v.optional(nonEmpty) });
const controlSchema = v.strictObject({ control: nonEmpty, query: nonEmpty });
const sourceSchema = v.union([v.array(v.union([nonEmpty, specSchema])), controlSchema]);

/** What a target list may look like, for messages. */
export const TARGETS_EXPECTED = 'an array of URLs or { url, schema?, name? } objects, or { control, query }';

/**
 * Checks a target list (the config's `targets`, a `--targets` file's JSON): an array of URL
 * strings, of `{ url, schema?, name? }` objects (mixed is fine), or `{ control, query }` naming a
 * query on a control database that lists them. `where` names the source in the error.
 *
 * @example
 * parseTargetsSource(['postgres://db/t1', { url: 'postgres://db/app', schema: 'acme' }], 'strata.config.ts')
 */
export function parseTargetsSource(raw: unknown, where: string): TargetsSource {
  const r = v.safeParse(sourceSchema, raw);
  if (r.success) {
    if (Array.isArray(r.output) && r.output.length === 0) throw new StrataError('CONFIG_INVALID', `${where}: the target list is empty`, { hint: `Targets are ${TARGETS_EXPECTED}.` });
    return r.output as TargetsSource;
  }
  const issue = r.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  throw new StrataError('CONFIG_INVALID', `${where}: targets${path ? `.${path}` : ''}: ${issue.message}`, { hint: `Targets are ${TARGETS_EXPECTED}.` });
}

/** True when `raw` is a valid target list (for the config's key check). */
export const isTargetsSource = (raw: unknown): boolean => v.safeParse(sourceSchema, raw).success;
