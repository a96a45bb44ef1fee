import type { ApiError } from '../../src/api-types.ts';

/** An error the server sent back, with PostgreSQL's fields when it refused a statement. */
export class RequestError extends Error {
  constructor(readonly status: number, readonly info: ApiError['error']) {
    super(info.message);
  }
}

async function handle<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new RequestError(res.status, { code: 'INTERNAL', message: `the server answered ${res.status} with something that is not JSON` });
  }
  if (!res.ok) {
    const info = (body as ApiError | null)?.error ?? { code: 'INTERNAL', message: `the server answered ${res.status}` };
    throw new RequestError(res.status, info);
  }
  return body as T;
}

/** GET a JSON endpoint of the studio (the token travels as the HttpOnly cookie). */
export async function get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const q = new URLSearchParams(params).toString();
  return handle<T>(await fetch(q ? `${path}?${q}` : path, { credentials: 'same-origin' }));
}

/** POST JSON to the studio. */
export async function post<T>(path: string, body: unknown): Promise<T> {
  return handle<T>(
    await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  );
}

/** The error's message for display, or its string form. */
export function errorInfo(e: unknown): ApiError['error'] {
  if (e instanceof RequestError) return e.info;
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
