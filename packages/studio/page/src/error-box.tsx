import type { ApiError } from '../../src/api-types.ts';

/** An error shown where it happened, with PostgreSQL's detail and hint. */
export function ErrorBox({ error, testId = 'error' }: { error: ApiError['error'] | null; testId?: string }) {
  if (!error) return null;
  return (
    <div class="error" data-testid={testId} role="alert">
      <strong>{error.sqlState ? `${error.sqlState}: ` : ''}{error.message}</strong>
      {error.detail && <div>detail: {error.detail}</div>}
      {error.hint && <div>hint: {error.hint}</div>}
      {error.constraint && <div>constraint: {error.constraint}</div>}
    </div>
  );
}
