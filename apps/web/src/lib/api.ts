import { refusal } from './api/errors.js';
import { session } from './state/session.svelte.js';

export { ApiError, messageOf, refusal, type FieldIssue } from './api/errors.js';

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
