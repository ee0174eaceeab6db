import type { ApiKeyScope, Principal, UserRole } from './principal.js';

/**
 * Who may call a route: `anonymous` (everyone, with or without credentials), a user role, a
 * display token, or an API key holding the named scope (`apiKey:events:write`).
 */
export type Allowed = 'anonymous' | UserRole | 'display' | `apiKey:${ApiKeyScope}`;

const READERS = ['admin', 'director', 'manager', 'seller', 'display'] as const;
const STAFF = ['admin', 'director', 'manager'] as const;
const DESIGNERS = ['admin', 'director'] as const;
const OPERATORS = ['admin', 'manager'] as const;
const USERS = ['admin', 'director', 'manager', 'seller'] as const;

/**
 * THE authorization table: every route of the API, keyed by `METHOD` and the route template as
 * Fastify reports it (`request.routeOptions.url`), with the principals that may call it. The
 * global `AccessGuard` enforces it: a route missing here answers 403 to everyone (and logs), so a
 * new route is closed until someone decides who may call it — add its line here in the same
 * change. The matrix test (`access.matrix.spec.ts`) calls every registered route as every kind of
 * principal and fails on a route without a line.
 *
 * Per-object rules (a display reads only its contests, a seller sees only their own details) are
 * not expressible here; services apply them with the helpers of `principal.ts`.
 */
export const ACCESS_TABLE: Readonly<Record<string, readonly Allowed[]>> = {
  // System
  'GET /api/health': ['anonymous'],
  'GET /api/version': ['anonymous'],
  'GET /api/openapi.json': ['anonymous'],
  // The home page offers the demo sign-ins before anyone is signed in (404 outside demo mode).
  'GET /api/demo': ['anonymous'],

  // Sessions
  'POST /api/auth/login': ['anonymous'],
  'POST /api/auth/logout': USERS,
  'GET /api/auth/me': [...USERS, 'display', 'apiKey:events:write'],

  // Users, displays, API keys: administration
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'DELETE /api/users/:id': ['admin'],
  // Directors too: they put the contest they launch on a TV (pick or create, assign, new link).
  'GET /api/displays': DESIGNERS,
  'POST /api/displays': DESIGNERS,
  'PATCH /api/displays/:id': DESIGNERS,
  'POST /api/displays/:id/token': DESIGNERS,
  'PUT /api/displays/:id/contests': DESIGNERS,
  'DELETE /api/displays/:id': ['admin'],
  'GET /api/api-keys': ['admin'],
  'POST /api/api-keys': ['admin'],
  'DELETE /api/api-keys/:id': ['admin'],

  // Contests: reading (a display only its own, a seller what the contest shows: in services)
  'GET /api/contests': READERS,
  'GET /api/contests/:id': READERS,
  'GET /api/contests/:id/standings': READERS,
  'GET /api/contests/:id/checkpoints': READERS,
  // The live forecast: whoever reads the standings (the comparison with the approved run: staff).
  'GET /api/contests/:id/forecast': READERS,
  'GET /api/contests/:id/forecast/history': READERS,
  // The rules without plans or figures: what a seller and a TV show as "the rules".
  'GET /api/contests/:id/rules': READERS,
  // Downloads of the same data, by the same rules (exports/exports.service.ts).
  'GET /api/contests/:id/standings.:format': READERS,
  'GET /api/contests/:id/checkpoints/:number.:format': READERS,
  // Read by <img>, which cannot send a bearer token; the contest id is an unguessable uuid.
  'GET /api/contests/:id/prizes/:place/image': ['anonymous'],
  // Plans, the file, the event feed with amounts, the audit trail and the ROI report: staff only.
  'GET /api/contests/:id/file': STAFF,
  'GET /api/contests/:id/plans': STAFF,
  'GET /api/contests/:id/events': STAFF,
  'GET /api/contests/:id/audit': STAFF,
  'GET /api/contests/:id/report': STAFF,
  'GET /api/contests/:id/report.:format': STAFF,
  // Contests: designing and running them
  'POST /api/contests': DESIGNERS,
  'PUT /api/contests/:id': DESIGNERS,
  'PATCH /api/contests/:id': DESIGNERS,
  'PUT /api/contests/:id/plans': DESIGNERS,
  'PUT /api/contests/:id/scenario': DESIGNERS,
  'PUT /api/contests/:id/prizes/:place/image': DESIGNERS,
  'POST /api/contests/:id/launch': DESIGNERS,
  'POST /api/contests/:id/clone': DESIGNERS,
  'POST /api/contests/:id/unschedule': DESIGNERS,
  'POST /api/contests/:id/close': DESIGNERS,
  // Contests: the manager's corrections and interim results
  'POST /api/contests/:id/corrections': OPERATORS,
  'POST /api/contests/:id/checkpoints/:number/publish': OPERATORS,
  // A late cancellation of a closed contest's sale: recovered or waived by its director.
  'POST /api/contests/:id/clawbacks/:clawbackId': DESIGNERS,

  // Events: ingestion (webhooks have their own signed route)
  'POST /api/events': ['admin', 'apiKey:events:write'],

  // Participants, teams, history
  'GET /api/participants': STAFF,
  'GET /api/participants/:id': STAFF,
  'GET /api/participants/:id/history': STAFF,
  'POST /api/participants': DESIGNERS,
  'PUT /api/participants': DESIGNERS,
  'PATCH /api/participants/:id': DESIGNERS,
  'DELETE /api/participants/:id': DESIGNERS,
  'PUT /api/participants/:id/history': DESIGNERS,
  'PUT /api/history': DESIGNERS,
  'GET /api/participants/:id/plans': STAFF,
  'PUT /api/participants/:id/plans': DESIGNERS,
  // Personal links: staff see whether one exists, admins and managers hand them out and revoke;
  // opening one is anonymous (the token is the credential) and rate-limited per address.
  'GET /api/participants/:id/personal-link': STAFF,
  'POST /api/participants/:id/personal-link': OPERATORS,
  'DELETE /api/participants/:id/personal-link': OPERATORS,
  'POST /api/personal-links/open': ['anonymous'],
  // Telegram: admins and managers hand out a participant's link code; a seller (signed in or by
  // personal link, from the phone) only their own, checked in the service.
  'POST /api/participants/:id/telegram-link': [...OPERATORS, 'seller'],
  'DELETE /api/participants/:id/telegram-link': [...OPERATORS, 'seller'],
  // Which messages a participant gets, and in which language: the same people.
  'GET /api/participants/:id/notification-settings': [...OPERATORS, 'seller'],
  'PUT /api/participants/:id/notification-settings': [...OPERATORS, 'seller'],
  'GET /api/teams': STAFF,
  'GET /api/teams/:id': STAFF,
  'POST /api/teams': DESIGNERS,
  'PATCH /api/teams/:id': DESIGNERS,
  'DELETE /api/teams/:id': DESIGNERS,
  // File imports: participants and plans are designers' (as PUT /api/participants and history);
  // deals are admins' only, as POST /api/events. Templates hold no data.
  'POST /api/imports/:kind': DESIGNERS,
  'POST /api/imports/sheet': DESIGNERS,
  'GET /api/imports/templates/:file': STAFF,

  // Simulations: directors and admins run and cancel them, staff read them
  'POST /api/simulations': DESIGNERS,
  'GET /api/simulations': STAFF,
  'GET /api/simulations/:id': STAFF,
  'GET /api/simulations/:id/result.:format': STAFF,
  // The simulator's own (browser) result, rendered as a file: those who may run simulations.
  'POST /api/exports/simulation.:format': DESIGNERS,
  'POST /api/simulations/:id/cancel': DESIGNERS,

  // Notifications: group chats are linked by admins; the outbox is theirs to watch and retry.
  'POST /api/telegram/chats/link': ['admin'],
  'GET /api/telegram/chats': ['admin'],
  'DELETE /api/telegram/chats/:chatId': ['admin'],
  'PUT /api/telegram/chats/:chatId/settings': ['admin'],
  // Telegram's webhook calls: authenticated by the secret token header set with setWebhook.
  'POST /api/telegram/webhook': ['anonymous'],
  // E-mail's unsubscribe links: the signed token in the path is the authority (mail/).
  'GET /api/unsubscribe/:token': ['anonymous'],
  'POST /api/unsubscribe/:token': ['anonymous'],
  'GET /api/notifications': ['admin'],
  'POST /api/notifications/:id/retry': ['admin'],

  // Integrations
  'POST /api/integrations': ['admin'],
  'GET /api/integrations': ['admin'],
  'GET /api/integrations/:id': ['admin'],
  'POST /api/integrations/:id/sync': ['admin'],
  // The contest page warns its readers that a CRM's sales may be missing.
  'GET /api/integrations/sync-alerts': STAFF,
  'PATCH /api/integrations/:id': ['admin'],
  'DELETE /api/integrations/:id': ['admin'],
  'GET /api/integrations/:id/mappings': ['admin'],
  'GET /api/integrations/:id/held': ['admin'],
  'GET /api/integrations/:id/crm-users': ['admin'],
  'PUT /api/integrations/:id/mappings': ['admin'],
  // The CRM's won deals against a contest's counted sales: those who run contests see it too.
  'GET /api/integrations/:id/reconciliation': OPERATORS,
  // Authenticated by the request's HMAC signature, not by a bearer token.
  'POST /api/webhooks/:id': ['anonymous'],
  // amoCRM and Bitrix24 cannot sign: authenticated by the secret in the URL (and Bitrix24's
  // application token), checked against stored hashes.
  'POST /api/webhooks/amocrm/:id/:secret': ['anonymous'],
  'POST /api/webhooks/bitrix24/:id/:secret': ['anonymous'],
};

/** The table's key for a request: HEAD is answered by the GET route Fastify derives it from. */
export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

/** Does this entry let this principal in? */
export function isAllowed(allowed: readonly Allowed[], principal: Principal): boolean {
  if (allowed.includes('anonymous')) return true;
  switch (principal.kind) {
    case 'user':
      return allowed.includes(principal.role);
    case 'display':
      return allowed.includes('display');
    case 'apiKey':
      return principal.scopes.some((scope) => allowed.includes(`apiKey:${scope}`));
    case 'anonymous':
      return false;
  }
}
