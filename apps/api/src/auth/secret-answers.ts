import type { FastifyInstance } from 'fastify';
import { routeKey } from './access-table.js';

/**
 * Routes whose answer carries a token, key or secret, keyed like the access table. They are
 * answered `Cache-Control: no-store` so no browser, proxy or CDN keeps a copy. A new route that
 * hands out a credential belongs here.
 */
export const SECRET_ANSWER_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/auth/login', // the session token
  'POST /api/displays', // the display token
  'POST /api/api-keys', // the API key
  'POST /api/integrations', // the signing secret, or the CRM URL ending in its secret
  'POST /api/participants/:id/personal-link', // the personal link token
  'GET /api/demo', // the demo passwords, display token and personal link (demo mode only)
]);

/** Marks the answers of {@link SECRET_ANSWER_ROUTES} `no-store`, refusals included. */
export function registerNoStore(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const key = routeKey(request.method, request.routeOptions.url ?? '');
    if (SECRET_ANSWER_ROUTES.has(key)) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
