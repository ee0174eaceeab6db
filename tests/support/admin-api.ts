import { afterAll, beforeAll } from '@jest/globals';
import pg from 'pg';
import type { TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { call, createAdminApp, type Answer } from './http.js';

/** What {@link useAdminApi} sets up for a suite; read it inside tests and hooks, not at load. */
export interface AdminApi {
  readonly database: TestDatabase;
  /** A client on the suite's database, for checking rows behind the API's back. */
  readonly db: pg.Client;
  readonly sut: TestApp;
  /** The bearer token of the seeded admin. */
  readonly token: string;
  /** One JSON call to `/api<path>` as the admin. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>>;
}

/**
 * Registers the suite's `beforeAll`/`afterAll`: a fresh migrated database, a pg client on it, and
 * the whole API with the test admin signed in through a real login; all closed and dropped after.
 * Hooks the suite registers later run after this setup.
 */
export function useAdminApi(): AdminApi {
  let database: TestDatabase | undefined;
  let db: pg.Client | undefined;
  let admin: { sut: TestApp; token: string } | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useAdminApi: read before its beforeAll ran');
    return value;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    admin = await createAdminApp(database.url);
  });

  afterAll(async () => {
    await admin?.sut.close();
    await db?.end();
    await database?.drop();
  });

  return {
    get database() {
      return ready(database);
    },
    get db() {
      return ready(db);
    },
    get sut() {
      return ready(admin).sut;
    },
    get token() {
      return ready(admin).token;
    },
    call: (method, path, body) => {
      const { sut, token } = ready(admin);
      return call(sut.url, method, `/api${path}`, { token, body });
    },
  };
}
