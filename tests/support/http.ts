import { AuthService } from '../../apps/api/src/auth/auth.service.js';
import { UsersService } from '../../apps/api/src/users/users.service.js';
import { createTestApp, login, TEST_ADMIN, type TestApp } from './app.js';
import type { Clock } from '../../apps/api/src/common/clock.js';
import type { AppConfig } from '../../apps/api/src/config/config.js';

/** What one HTTP call to the API answered: its status and its JSON body (`null` when empty). */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export interface CallOptions {
  /** Sent as `authorization: Bearer <token>`; none when absent or null. */
  token?: string | null;
  /** Sent as JSON (with `content-type: application/json`); no body when undefined. */
  body?: unknown;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Sent as it is instead of a JSON body (set its `content-type` in `headers`). */
  raw?: string | Uint8Array;
}

/** One JSON request to `url + path`; answers the raw response. */
export function request(
  url: string,
  method: string,
  path: string,
  { token, body, headers = {}, raw }: CallOptions = {},
): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token == null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
}

/** One JSON request to `url + path`; answers its status and parsed body (`null` when empty). */
export async function call<T = unknown>(
  url: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const response = await request(url, method, path, options);
  const text = await response.text();
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

/** The body of a 400 validation answer. */
export interface Issues {
  issues: { path: string; message: string }[];
}

/** The field paths of a 400 validation answer (`issues[].path`), sorted. */
export function issuePaths(answer: Answer): string[] {
  return (answer.body as Issues).issues.map((issue) => issue.path).sort();
}

/** A session token of the first admin, made directly by the auth service (no login request). */
export async function adminToken(sut: TestApp): Promise<string> {
  const [admin] = await sut.app.get(UsersService).list();
  if (admin === undefined) throw new Error('no first admin');
  return (await sut.app.get(AuthService).createSession(admin.id)).token;
}

/**
 * The API with {@link TEST_ADMIN} seeded, and that admin's bearer token from a real
 * `POST /api/auth/login` (which throws when refused).
 */
export async function createAdminApp(
  databaseUrl: string,
  overrides: Partial<AppConfig> = {},
  options: { clock?: Clock } = {},
): Promise<{ sut: TestApp; token: string }> {
  const sut = await createTestApp(
    databaseUrl,
    { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password, ...overrides },
    options,
  );
  try {
    return { sut, token: await login(sut.url) };
  } catch (error) {
    // The suite's afterAll never sees this app: left running, it would outlive the suite.
    await sut.close();
    throw error;
  }
}
