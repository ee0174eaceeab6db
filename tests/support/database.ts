import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../apps/api/src/database/data-source.js';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  /** Drops the database, closing whatever is still connected to it. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.PODIUM_TEST_SERVER_URL;
  if (!url) throw new Error('PODIUM_TEST_SERVER_URL is not set: run the tests through jest');
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one suite on the test server, migrated unless `migrated: false`.
 * Each suite gets its own, so suites run in parallel without seeing each other's rows.
 */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const name = `podium_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(serverUrl(), name);
  if (migrated) await migrate(url);
  return {
    url,
    name,
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
