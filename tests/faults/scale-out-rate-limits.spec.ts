import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ROUTE_RATE_LIMITS } from '../../apps/api/src/auth/route-rate-limits.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const OPEN_LIMIT = ROUTE_RATE_LIMITS['POST /api/personal-links/open']?.limit ?? 0;

async function statusOf(response: Promise<Response>): Promise<{ status: number; wait: number }> {
  const answer = await response;
  await answer.body?.cancel();
  return { status: answer.status, wait: Number(answer.headers.get('retry-after') ?? 0) };
}

function post(app: TestApp, route: string, body: unknown, forwardedFor: string) {
  return statusOf(
    fetch(`${app.url}/api${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify(body),
    }),
  );
}

/**
 * Two API processes (two apps in this process, each with its own Redis connection) on one
 * database and one Redis: rate-limit counters are shared, so two processes do not give twice the
 * budget.
 */
describe('rate limits shared through Redis', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = {
      redisUrl: REDIS_URL,
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
      // The test speaks as clients behind a proxy, so each test has addresses of its own.
      trustedProxies: ['127.0.0.1'],
    };
    first = await createTestApp(database.url, config);
    second = await createTestApp(database.url, config);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  it('counts one address’s guesses on both processes against one budget', async () => {
    expect(OPEN_LIMIT).toBeGreaterThan(0);
    const answers: { status: number; wait: number }[] = [];
    for (let attempt = 0; attempt <= OPEN_LIMIT; attempt += 1) {
      const app = attempt % 2 === 0 ? first : second;
      answers.push(
        await post(app, '/personal-links/open', { token: `pdp_guess${attempt}` }, '192.0.2.10'),
      );
    }
    expect(answers.slice(0, OPEN_LIMIT).map(({ status }) => status)).toEqual(
      Array.from({ length: OPEN_LIMIT }, () => 401),
    );
    expect(answers[OPEN_LIMIT]?.status).toBe(429);
    expect(answers[OPEN_LIMIT]?.wait).toBeGreaterThan(0);
  });

  it('counts failed logins of one e-mail and address on both processes against one limit', async () => {
    const failures: number[] = [];
    // Ten wrong guesses from one address, alternating processes: the pair's whole allowance.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const app = attempt % 2 === 0 ? first : second;
      const { status } = await post(
        app,
        '/auth/login',
        { email: TEST_ADMIN.email, password: `guess ${attempt}` },
        '198.51.100.20',
      );
      failures.push(status);
    }
    expect(failures).toEqual(Array.from({ length: 10 }, () => 401));
    // Neither process lets that address try again, right password or not.
    for (const app of [first, second]) {
      const refused = await post(app, '/auth/login', TEST_ADMIN, '198.51.100.20');
      expect(refused.status).toBe(429);
      expect(refused.wait).toBeGreaterThan(0);
    }
  });
});
