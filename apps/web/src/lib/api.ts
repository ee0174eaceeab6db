import { session } from './state/session.svelte.js';

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  /** A stable code the screen translates (a form's own parse refusals carry one). */
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A refused request: the status, the server's message, and the fields it named. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Calls the API as the signed-in user (or with `token`, e.g. a display's). JSON in and out;
 * a non-2xx answer throws an {@link ApiError}; a 401 forgets the session.
 */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  { token = session.token }: { token?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (json ?? {}) as { message?: string; issues?: FieldIssue[] };
    if (response.status === 401 && token === session.token) session.expire();
    throw new ApiError(response.status, error.message ?? response.statusText, error.issues ?? []);
  }
  return json as T;
}
