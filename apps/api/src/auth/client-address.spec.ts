import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { ROUTE_RATE_LIMITS } from './route-rate-limits.js';

const OPEN = 'POST /api/personal-links/open';
const LIMIT = ROUTE_RATE_LIMITS[OPEN]?.limit ?? 0;

/** One guess at a personal link, as sent from `forwardedFor` (when given) through a proxy. */
function guess(app: TestApp, attempt: number, forwardedFor?: string): Promise<number> {
  return fetch(`${app.url}/api/personal-links/open`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    body: JSON.stringify({ token: `pdp_guess${attempt}` }),
  }).then(async (response) => {
    await response.body?.cancel();
    return response.status;
  });
}

/** The statuses of `count` guesses in a row. */
async function guesses(count: number, send: (attempt: number) => Promise<number>) {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < count; attempt += 1) statuses.push(await send(attempt));
  return statuses;
}

describe('client address', () => {
  let database: TestDatabase;
  let direct: TestApp;
  let proxied: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createTestApp(database.url);
    proxied = await createTestApp(database.url, { trustedProxies: ['127.0.0.1', '10.0.0.0/8'] });
  });

  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
    await database?.drop();
  });

  it('has a per-address budget to test against', () => {
    expect(LIMIT).toBeGreaterThan(0);
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    // A new forged address on every request: the budget is still the socket address's.
    const statuses = await guesses(LIMIT + 1, (attempt) =>
      guess(direct, attempt, `203.0.113.${attempt % 250}`),
    );
    expect(statuses.slice(0, LIMIT).every((status) => status === 401)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
  });

  it('uses the forwarded address when the proxy is trusted', async () => {
    // Rotating client addresses behind the proxy: each has its own budget.
    const rotating = await guesses(LIMIT + 1, (attempt) =>
      guess(proxied, attempt, `198.51.100.${attempt % 250}`),
    );
    expect(rotating.every((status) => status === 401)).toBe(true);
    // One client behind the proxy: limited after its budget, whoever else the proxy serves.
    const one = await guesses(LIMIT + 1, (attempt) => guess(proxied, attempt, '192.0.2.7'));
    expect(one.slice(0, LIMIT).every((status) => status === 401)).toBe(true);
    expect(one[LIMIT]).toBe(429);
  });
});
