import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiProcess, freePort, waitForHealthy } from '../support/process.js';

/** PIDs of PostgreSQL servers running on `clusterDir`. */
function postgresOf(clusterDir: string): number[] {
  let out: string;
  try {
    out = execFileSync('pgrep', ['-f', `postgres -D ${clusterDir} `], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  return out.split('\n').filter(Boolean).map(Number);
}

/**
 * Each start runs initdb or recovery, the migrations and the demo seeding; each stop, PostgreSQL's
 * shutdown. A test's limit is this much per start or stop it makes: sized to its steps, as a
 * loaded machine can take a minute for one of them.
 */
const STEP_MS = 120_000;

/** `npm start` without DATABASE_URL: the embedded PostgreSQL, its restarts and its recoveries. */
describe('the API with its embedded PostgreSQL', () => {
  let dataDir: string;
  let clusterDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-e2e-data-'));
    clusterDir = path.join(dataDir, 'postgres');
  });

  afterAll(async () => {
    for (const pid of postgresOf(clusterDir)) process.kill(pid, 'SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<{ api: ApiProcess; base: string }> {
    const port = await freePort();
    const api = new ApiProcess({ PODIUM_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealthy(`${base}/api/health`, api, STEP_MS);
    return { api, base };
  }

  it(
    'starts, keeps data across a restart, and leaves no server behind after SIGINT',
    async () => {
      const first = await start();
      expect(postgresOf(clusterDir)).toHaveLength(1);
      await expect(first.api.stop('SIGINT')).resolves.toBe(0);
      expect(postgresOf(clusterDir)).toEqual([]);

      const second = await start();
      // The first start applied the migration; the second found the same data.
      expect(second.api.logs()).toContainEqual(expect.objectContaining({ applied: [] }));
      await expect(second.api.stop('SIGINT')).resolves.toBe(0);
      expect(postgresOf(clusterDir)).toEqual([]);
    },
    4 * STEP_MS,
  );

  it(
    'starts again after a kill -9 left its PostgreSQL running',
    async () => {
      const killed = await start();
      const orphans = postgresOf(clusterDir);
      killed.api.child.kill('SIGKILL');
      await killed.api.exited;
      expect(postgresOf(clusterDir)).toEqual(orphans); // the server outlived its parent

      const next = await start();
      const response = await fetch(`${next.base}/api/health`);
      expect(response.status).toBe(200);
      expect(postgresOf(clusterDir).some((pid) => orphans.includes(pid))).toBe(false);
      await expect(next.api.stop('SIGTERM')).resolves.toBe(0);
      expect(postgresOf(clusterDir)).toEqual([]);
    },
    4 * STEP_MS,
  );

  it(
    'starts again when a stale postmaster.pid names a process that is gone',
    async () => {
      await fs.writeFile(path.join(clusterDir, 'postmaster.pid'), `999999\n${clusterDir}\n`);
      const next = await start();
      await expect(next.api.stop('SIGINT')).resolves.toBe(0);
    },
    2 * STEP_MS,
  );
});
