import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, refusal } from './errors.js';
import { session } from '../state/session.svelte.js';
import type { components, paths } from './schema.js';

/** The API's answers by name, as its OpenAPI document declares them (schema.d.ts). */
export type Schemas = components['schemas'];

/**
 * Signs every request as the signed-in user unless the call brings its own `authorization`
 * (a display's token); a 401 to the session's own token forgets the session.
 */
const signIn: Middleware = {
  onRequest({ request }) {
    if (!request.headers.has('authorization') && session.token) {
      request.headers.set('authorization', `Bearer ${session.token}`);
    }
    return request;
  },
  onResponse({ request, response }) {
    const sent = request.headers.get('authorization');
    if (response.status === 401 && session.token && sent === `Bearer ${session.token}`) {
      session.expire();
    }
    return response;
  },
};

/** The typed client of the API: paths, bodies and answers from its OpenAPI document. */
export const client = createClient<paths>({ baseUrl: '' });
client.use(signIn);

/** The same client without the session: for calls whose credential is in the body. */
export const anonymous = createClient<paths>({ baseUrl: '' });

/**
 * The answer of a typed call, or an {@link ApiError} with the server's message and issues:
 * `const teams = await ok(client.GET('/api/teams'))`.
 */
export async function ok<Data>(
  pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  const { data, error, response } = await pending;
  if (!response.ok || error !== undefined) throw refusal(response, error);
  return data as Data;
}

/** `authorization` for a call made with another token than the session's (a display's). */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export { ApiError };
