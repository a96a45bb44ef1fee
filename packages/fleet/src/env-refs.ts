import { StrataError } from '@strata/core';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` references by the environment's values, at run time: a target list can name
 * a password without holding it. A reference to a variable that is not set is an error naming the
 * variable (never its value).
 *
 * @example
 * resolveEnvRefs('postgres://app:${TENANT_PW}@db/t1', { TENANT_PW: 's3cret' }) // => 'postgres://app:s3cret@db/t1'
 */
export function resolveEnvRefs(text: string, env: Record<string, string | undefined> = process.env): string {
  const missing = [...text.matchAll(REF)].map((m) => m[1]!).filter((name) => env[name] === undefined);
  if (missing.length > 0) {
    throw new StrataError('CONFIG_INVALID', `the target URL refers to ${[...new Set(missing)].map((n) => `\${${n}}`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not set in the environment`, {
      hint: 'Set the environment variable, or write the value into the target list.',
    });
  }
  return text.replace(REF, (_m, name: string) => env[name]!);
}

/** True when `text` holds a `${NAME}` reference. */
export const hasEnvRefs = (text: string): boolean => /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.test(text);
