import { session } from './state/session.svelte.js';

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
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
    if (response.status === 401 && token === session.token) session.expire();
    throw refusal(response, json);
  }
  return json as T;
}

/** The {@link ApiError} of a refused answer whose body was `body` (parsed JSON, text, or nothing). */
export function refusal(response: Response, body: unknown): ApiError {
  const error = (typeof body === 'object' && body !== null ? body : {}) as {
    message?: unknown;
    issues?: FieldIssue[];
  };
  const message =
    typeof error.message === 'string' && error.message
      ? error.message
      : typeof body === 'string' && body
        ? body
        : response.statusText || `HTTP ${response.status}`;
  return new ApiError(response.status, message, Array.isArray(error.issues) ? error.issues : []);
}

/**
 * What a failure says, for an alert: the API's message, or the error's — never the class
 * name `String(error)` would put in front ("ApiError: …").
 */
export function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
