import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory.js';
import type { Clock } from '../../apps/api/src/common/clock.js';
import type { AppConfig } from '../../apps/api/src/config/config.js';
import { createLogger } from '../../apps/api/src/logging/logger.js';

/**
 * The key that encrypts stored CRM credentials, one per test process: tests need no key file
 * (their data directory does not exist).
 */
const TEST_SECRET_KEY = randomBytes(32).toString('hex');

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: null,
    redisUrl: null,
    dataDir: '/nonexistent',
    demo: false,
    adminEmail: null,
    adminPassword: null,
    logLevel: 'silent',
    webDir: null,
    // Scheduled CRM syncs would read the fake portals behind the tests' backs; the sync specs
    // turn them on.
    crmSyncSchedule: false,
    secretKey: TEST_SECRET_KEY,
    ...overrides,
  };
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>`, where the app listens. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The whole API on a test database, listening on a free port of 127.0.0.1. Tests talk to it over
 * real HTTP (light-my-request's `inject` needs an ES-only dependency jest cannot load on Node 20).
 */
export async function createTestApp(
  databaseUrl: string,
  overrides: Partial<AppConfig> = {},
  { clock }: { clock?: Clock } = {},
): Promise<TestApp> {
  const config = testConfig({ databaseUrl, ...overrides });
  const app = await createApp({
    config,
    databaseUrl,
    logger: createLogger(config.logLevel),
    ...(clock ? { clock } : {}),
  });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    if (typeof address !== 'object' || address === null)
      throw new Error('the test app has no port');
    return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
  } catch (error) {
    // A hook that fails here must not leave the app's timers running into the next suite.
    await app.close().catch(() => undefined);
    throw error;
  }
}

export const TEST_ADMIN = { email: 'admin@test.local', password: 'correct horse battery' } as const;

/**
 * How long {@link login} keeps retrying a 503: the API answers it when PostgreSQL did not hand it
 * a connection in time, which a machine whose cores are all busy can make happen at any request.
 * It only bounds a database that never comes back.
 */
const LOGIN_RETRY_MS = 120_000;

/**
 * Signs in through `POST /api/auth/login`; answers the bearer token. A 503 (the database did not
 * answer in time: nothing was done) is retried after its Retry-After, as a client should.
 */
export async function login(
  url: string,
  { email, password }: { email: string; password: string } = TEST_ADMIN,
): Promise<string> {
  const deadline = Date.now() + LOGIN_RETRY_MS;
  for (;;) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status === 200) return ((await response.json()) as { token: string }).token;
    const text = await response.text();
    if (response.status !== 503 || Date.now() > deadline)
      throw new Error(`login as ${email}: ${response.status} ${text}`);
    const seconds = Number(response.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, 1_000 * (seconds > 0 ? seconds : 1)));
  }
}
