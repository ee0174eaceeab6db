// Gives every jest worker a PostgreSQL server to create its suite's database on: the one named
// by DATABASE_URL when set (CI uses the machine's PostgreSQL 15), otherwise an embedded one
// started here in a temporary directory.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.PODIUM_TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const { EmbeddedPostgres } = await import('../../apps/api/dist/database/embedded-postgres.js');
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-test-pg-'));
  const server = new EmbeddedPostgres({ dataDir, log: () => undefined });
  process.env.PODIUM_TEST_SERVER_URL = await server.start();
  globalThis.__podiumTestServer = { server, dataDir };
}
