/**
 * Hides the password of every database URL in a text.
 *
 * @example
 * maskUrl('postgres://app:s3cret@db:5432/app') // => 'postgres://app:****@db:5432/app'
 */
export function maskUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s]*)(@)/gi, (_m, a: string, _p: string, c: string) => `${a}****${c}`);
}
