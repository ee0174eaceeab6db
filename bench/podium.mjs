// What several benchmarks share: an embedded PostgreSQL they can also reach directly (for the
// baselines and for seeding), the built API as a child process on it, and a live contest.
import { spawn } from 'node:child_process';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, waitForOk } from './support.mjs';

const logFile = (file) => fsSync.openSync(file, 'a');

export const ADMIN = { email: 'bench@podium.local', password: 'bench-password' };

/** A fresh embedded PostgreSQL in a temporary directory; `url` is its `podium` database. */
export async function startPostgres() {
  const { EmbeddedPostgres } = await import(
    path.join(repoRoot, 'apps/api/dist/database/embedded-postgres.js')
  );
  const { migrate } = await import(path.join(repoRoot, 'apps/api/dist/database/data-source.js'));
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-bench-pg-'));
  const server = new EmbeddedPostgres({ dataDir, log: () => undefined });
  const url = await server.start();
  await migrate(url);
  return {
    url,
    stop: async () => {
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The built API (`apps/api/dist/main.js`) on `databaseUrl`, request logging on as in production. */
export async function startPodium(databaseUrl, { logLevel = 'info', env = {} } = {}) {
  const port = await freePort();
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API under load.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, path.join(repoRoot, 'apps/api/dist/main.js')],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        PODIUM_DEMO: 'false',
        PODIUM_ADMIN_EMAIL: ADMIN.email,
        PODIUM_ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: logLevel,
        ...env,
      },
      // BENCH_API_LOG=<file> keeps the API's output (its logs) for a look after a failure.
      stdio: process.env.BENCH_API_LOG
        ? ['ignore', logFile(process.env.BENCH_API_LOG), logFile(process.env.BENCH_API_LOG)]
        : 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${base}/api/health`, 600_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const json = async (method, route, body, token) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return JSON.parse(text);
  };
  return {
    base,
    pid: child.pid,
    json,
    login: async () => (await json('POST', '/api/auth/login', ADMIN)).token,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A contest file of `count` sellers whose period started yesterday and runs a month. */
export function contestFile(count, name = 'Bench') {
  const day = 86_400_000;
  return {
    name,
    period: {
      start: new Date(Date.now() - day).toISOString().slice(0, 10),
      end: new Date(Date.now() + 30 * day).toISOString().slice(0, 10),
    },
    funding: { fundShare: 0.3 },
    prizes: [
      { place: 1, title: 'First', costMinor: 10_000_000 },
      { place: 2, title: 'Second', costMinor: 5_000_000 },
      { place: 3, title: 'Third', costMinor: 2_000_000 },
    ],
    criteria: [
      { metric: 'turnover', basis: 'percentOfPlan', weight: 1, cap: 300 },
      { metric: 'newClients', basis: 'absolute', unit: 1, weight: 5 },
    ],
    participants: Array.from({ length: count }, (_, index) => ({
      id: `b${index}`,
      name: `Seller ${index}`,
      team: `Team ${index % 20}`,
      plan: { turnoverMinor: 100_000_000, marginMinor: 20_000_000 },
    })),
  };
}

/** Creates and launches a live contest of `participants` sellers; answers its id. */
export async function liveContest(podium, token, participants) {
  const { id } = await podium.json('POST', '/api/contests', contestFile(participants), token);
  await podium.json(
    'POST',
    `/api/contests/${id}/launch`,
    { override: { reason: 'benchmark contest: launched without a simulation' } },
    token,
  );
  return id;
}

/** Six hours ago: the bench's events start here, a millisecond apart, inside the contest period. */
const FIRST_EVENT_MS = Date.now() - 6 * 3_600_000;

/**
 * The n-th bench sale: a deal of one of `participants` sellers, n ms after the first, so each
 * seller's deals arrive in time order as a CRM sends them (the live standings re-score a seller
 * from scratch when a deal arrives older than one already counted).
 */
export function sale(n, participants, source = 'bench') {
  const amountMinor = 100_000 + ((n * 7919) % 1_000_000);
  return {
    type: 'sale',
    source,
    externalId: `e-${n}`,
    participantId: `b${n % participants}`,
    occurredAt: new Date(FIRST_EVENT_MS + n).toISOString(),
    amountMinor,
    marginMinor: Math.round(amountMinor * 0.2),
    clientId: `c${n % 5_000}`,
    isNewClient: n % 11 === 0,
    quantity: 1,
  };
}
