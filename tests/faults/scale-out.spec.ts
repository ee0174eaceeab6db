import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ContestEvent, type ContestFile, type LiveView } from '@podium/contest-model';
import pg from 'pg';
import { exampleContestFile, largeSimulationFile } from '../support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectLive, type LiveClient } from '../support/live.js';
import { ApiProcess, freePort, waitForEvent, waitForHealthy } from '../support/process.js';
import { ADMIN, generateEvents, liveContestFile, sleep } from './harness.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One API process of the pair, with `REDIS_URL`: the socket.io rooms are shared through Redis. */
class Replica {
  readonly process: ApiProcess;
  constructor(
    readonly name: string,
    readonly base: string,
    port: number,
    databaseUrl: string,
    redisUrl: string,
  ) {
    this.process = new ApiProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      PODIUM_DEMO: 'false',
      PODIUM_ADMIN_EMAIL: ADMIN.email,
      PODIUM_ADMIN_PASSWORD: ADMIN.password,
      PODIUM_SIMULATION_WORKERS: '1',
      LOG_LEVEL: 'info',
    });
  }

  static async start(name: string, databaseUrl: string, redisUrl = REDIS_URL): Promise<Replica> {
    const port = await freePort();
    const replica = new Replica(name, `http://127.0.0.1:${port}`, port, databaseUrl, redisUrl);
    await waitForHealthy(`${replica.base}/api/health`, replica.process, 120_000);
    return replica;
  }

  request(method: string, route: string, token: string, body?: unknown): Promise<Response> {
    return fetch(`${this.base}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async json<T>(method: string, route: string, token: string, body?: unknown): Promise<T> {
    const response = await this.request(method, route, token, body);
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${this.name} ${method} ${route}: ${text}`);
    return JSON.parse(text) as T;
  }

  messages(): string[] {
    return this.process.logs().map((line) => String(line.msg));
  }
}

async function login(replica: Replica): Promise<string> {
  const response = await fetch(`${replica.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (response.status !== 200) throw new Error(`login: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Every `standings` view a client receives, and a way to wait for a seq. */
function recordStandings(client: LiveClient, contestId: string) {
  const views: { seq: number; at: number }[] = [];
  client.on('standings', (view: LiveView) => {
    if (view.contestId === contestId) views.push({ seq: view.seq, at: performance.now() });
  });
  return {
    views,
    until: (seq: number, timeoutMs = 10_000) =>
      waitForEvent<LiveView>(
        client,
        'standings',
        (view) => view.contestId === contestId && view.seq >= seq,
        timeoutMs,
      ),
  };
}

/**
 * Two API processes on one database with Redis (issue 9): events posted to either reach the
 * clients of both, within a second and never twice; a client that moves resyncs to the same seq;
 * a simulation queued on one is watched and cancelled on the other; the clock's transitions,
 * checkpoints and reports happen once although both processes tick.
 */
describe('two API processes with Redis', () => {
  let database: TestDatabase;
  let a: Replica;
  let b: Replica;
  let token: string;
  let db: pg.Client;
  const file = liveContestFile(40, 'x');
  let contestId: string;
  const clients: LiveClient[] = [];

  async function client(replica: Replica): Promise<LiveClient> {
    const socket = await connectLive(replica.base, token);
    clients.push(socket);
    return socket;
  }

  async function subscribe(socket: LiveClient, id = contestId): Promise<LiveView> {
    const ack = await socket.emitWithAck('subscribe', { contestId: id });
    if (!ack.ok) throw new Error(`subscribe: ${ack.error}`);
    return ack.snapshot;
  }

  async function post(replica: Replica, events: ContestEvent | ContestEvent[]): Promise<number> {
    const answer = await replica.json<{
      contests?: { contestId: string; seq: number }[];
      events?: { contests: { contestId: string; seq: number }[] }[];
    }>('POST', '/api/events', token, events);
    const links = answer.events
      ? answer.events.flatMap((event) => event.contests)
      : answer.contests;
    return Math.max(...(links ?? []).filter((l) => l.contestId === contestId).map((l) => l.seq));
  }

  async function launch(replica: Replica, contest: ContestFile): Promise<string> {
    const { id } = await replica.json<{ id: string }>('POST', '/api/contests', token, contest);
    await replica.json('POST', `/api/contests/${id}/launch`, token, LAUNCH_PAST_GATE);
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    // Started one after the other: the first applies nothing new (migrated), both bootstrap.
    [a, b] = await Promise.all([
      Replica.start('A', database.url),
      Replica.start('B', database.url),
    ]);
    token = await login(a);
    contestId = await launch(a, file);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    await db?.end();
    await Promise.all([a?.process.stop(), b?.process.stop()]);
    await database?.drop();
  });

  it('shares socket.io rooms through Redis in both processes', async () => {
    // The adapter logs once it is attached; the key is derived from the database.
    for (const replica of [a, b]) {
      expect(replica.messages().some((m) => m.startsWith('socket.io rooms shared'))).toBe(true);
    }
  });

  it('delivers an event posted to one process to a client of the other within 1 s, once', async () => {
    const onB = await client(b);
    const onA = await client(a);
    await subscribe(onB);
    await subscribe(onA);
    const seenOnB = recordStandings(onB, contestId);
    const seenOnA = recordStandings(onA, contestId);
    const events = generateEvents(file, 40, 31).filter((event) => event.type === 'sale');
    const latencies: { direction: string; ms: number }[] = [];
    for (const [index, event] of events.entries()) {
      const [from, to, seen] = index % 2 === 0 ? [a, b, seenOnB] : [b, a, seenOnA];
      const sent = performance.now();
      const seq = await post(from, event);
      await seen.until(seq, 5_000);
      latencies.push({ direction: `${from.name}→${to.name}`, ms: performance.now() - sent });
      // Spread the posts beyond the coalescing window, so each is a leading edge.
      await sleep(120);
    }
    const ms = latencies.map((latency) => latency.ms);
    process.stdout.write(
      `${JSON.stringify({
        figure: 'cross-process-latency',
        unit: 'ms',
        samples: ms.length,
        p50: Math.round(percentile(ms, 50) * 10) / 10,
        p95: Math.round(percentile(ms, 95) * 10) / 10,
        max: Math.round(Math.max(...ms) * 10) / 10,
      })}\n`,
    );
    for (const latency of latencies) expect(latency.ms).toBeLessThan(1_000);
    // Each process pushes its own projection to its own sockets only: no view arrives twice.
    await sleep(500);
    for (const seen of [seenOnA, seenOnB]) {
      const seqs = seen.views.map((view) => view.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    }
    const rest = await Promise.all(
      [a, b].map((replica) =>
        replica.json<{ seq: number; standings: unknown[] }>(
          'GET',
          `/api/contests/${contestId}/standings`,
          token,
        ),
      ),
    );
    expect(rest[0]).toEqual(rest[1]);
  });

  it('resyncs a client that moves from one process to the other to the same seq', async () => {
    const first = await client(a);
    const before = await subscribe(first);
    first.disconnect();
    // Posted to A while the client is away; B has not necessarily heard of them yet.
    const seq = await post(a, generateEvents(file, 25, 47, 'moved'));
    expect(seq).toBeGreaterThan(before.seq);
    const second = await client(b);
    const snapshot = await subscribe(second);
    const [restA, restB] = await Promise.all(
      [a, b].map((replica) =>
        replica.json<{ seq: number; fundMinor: number }>(
          'GET',
          `/api/contests/${contestId}/standings`,
          token,
        ),
      ),
    );
    expect(snapshot.seq).toBe(seq);
    expect(restA?.seq).toBe(seq);
    expect(restB?.seq).toBe(seq);
    expect(snapshot.fund.fundMinor).toBe(restA?.fundMinor);
  });

  /** The replica whose log says it claimed the simulation `id`, and the other one. */
  function runnerOf(id: string): { runner: Replica; other: Replica } | null {
    const claimed = (replica: Replica) =>
      replica.messages().includes(`simulation ${id} claimed by this process`);
    if (claimed(a)) return { runner: a, other: b };
    if (claimed(b)) return { runner: b, other: a };
    return null;
  }

  type Update = { id: string; state: string; progress: { trialsDone: number } | null };

  async function watch(replica: Replica, id: string) {
    const watcher = await client(replica);
    const updates: { state: string; trialsDone: number }[] = [];
    watcher.on('simulation', (update) => {
      if (update.id === id)
        updates.push({ state: update.state, trialsDone: update.progress?.trialsDone ?? 0 });
    });
    await expect(watcher.emitWithAck('watchSimulation', { id })).resolves.toEqual({ ok: true });
    return { watcher, updates };
  }

  async function stateOf(replica: Replica, id: string): Promise<string> {
    return (await replica.json<{ state: string }>('GET', `/api/simulations/${id}`, token)).state;
  }

  it('lets a simulation queued on one process be watched and cancelled on the other', async () => {
    const created = await a.json<{ id: string }>('POST', '/api/simulations', token, {
      file: largeSimulationFile(await exampleContestFile()),
      scenario: { trials: 1_000_000 },
      remedies: false,
    });
    const watchers = await Promise.all([watch(a, created.id), watch(b, created.id)]);
    for (const { watcher } of watchers) {
      await waitForEvent<Update>(
        watcher,
        'simulation',
        (update) =>
          update.id === created.id &&
          update.state === 'running' &&
          (update.progress?.trialsDone ?? 0) > 0,
        30_000,
      );
    }
    const placed = runnerOf(created.id);
    expect(placed).not.toBeNull();
    const { other } = placed as NonNullable<typeof placed>;
    // Cancelled on the process that does not run it.
    const heard = watchers.map(({ watcher }) =>
      waitForEvent<Update>(
        watcher,
        'simulation',
        (update) => update.id === created.id && update.state === 'cancelled',
        10_000,
      ),
    );
    const cancelled = await other.json<{ state: string }>(
      'POST',
      `/api/simulations/${created.id}/cancel`,
      token,
    );
    expect(cancelled.state).toBe('cancelled');
    await Promise.all(heard);
    // The process that ran it stopped its workers: no progress after the cancel, on any process,
    // and every watcher heard the cancel once.
    const counts = watchers.map(({ updates }) => updates.length);
    await sleep(1_500);
    for (const [index, { updates }] of watchers.entries()) {
      expect(updates.slice(counts[index])).toEqual([]);
      expect(updates.filter((update) => update.state === 'cancelled')).toHaveLength(1);
    }
    expect(await stateOf(a, created.id)).toBe('cancelled');
    expect(await stateOf(b, created.id)).toBe('cancelled');

    // Both pools are free again: two short runs queued on B finish, whoever claims them.
    const base = largeSimulationFile(await exampleContestFile());
    const small = { ...base, participants: base.participants.slice(0, 20) };
    const next = await Promise.all(
      [1, 2].map((seed) =>
        b.json<{ id: string }>('POST', '/api/simulations', token, {
          file: small,
          scenario: { trials: 400, seed },
          remedies: false,
        }),
      ),
    );
    for (const run of next) {
      const deadline = Date.now() + 60_000;
      let state = 'queued';
      while (state !== 'done' && Date.now() < deadline) {
        state = await stateOf(a, run.id);
        if (state === 'failed' || state === 'cancelled') break;
        await sleep(100);
      }
      expect(state).toBe('done');
    }
  });

  it('moves a contest live → closing → closed once, with one checkpoint and one report', async () => {
    const closing = liveContestFile(6, 'c');
    const id = await launch(b, closing);
    const watchers = await Promise.all([client(a), client(b)]);
    const states: string[][] = [[], []];
    for (const [index, watcher] of watchers.entries()) {
      await subscribe(watcher, id);
      watcher.on('contest', (notice) => {
        if (notice.contestId === id) states[index]?.push(notice.state);
      });
    }
    const closed = watchers.map((watcher) =>
      waitForEvent<{ contestId: string; state: string }>(
        watcher,
        'contest',
        (notice) => notice.contestId === id && notice.state === 'closed',
        30_000,
      ),
    );
    // The clock moves past the end of the period and its grace: both processes tick each second.
    await db.query(
      `UPDATE contests SET period_end = now() - interval '1 second', grace_days = 0 WHERE id = $1`,
      [id],
    );
    await Promise.all(closed);
    await sleep(2_500); // more ticks of both processes: nothing more may happen
    const audit = await db.query<{ action: string; from_state: string; to_state: string }>(
      `SELECT action, from_state, to_state FROM contest_audit WHERE contest_id = $1 AND actor = 'system'
        ORDER BY id`,
      [id],
    );
    expect(audit.rows.map((row) => `${row.action}:${row.from_state}→${row.to_state}`)).toEqual([
      'checkpoint:null→null',
      'clock:live→closing',
      'clock:closing→closed',
    ]);
    const checkpoints = await db.query('SELECT number FROM checkpoints WHERE contest_id = $1', [
      id,
    ]);
    expect(checkpoints.rows).toEqual([{ number: 1 }]);
    const results = await db.query('SELECT seq FROM contest_results WHERE contest_id = $1', [id]);
    expect(results.rowCount).toBe(1);
    // Each client heard each state once: the process that moved it emitted through Redis, the
    // other did not emit it again.
    expect(states).toEqual([
      ['closing', 'closed'],
      ['closing', 'closed'],
    ]);
    const rest = await Promise.all(
      [a, b].map((replica) => replica.json(`GET`, `/api/contests/${id}/standings`, token)),
    );
    expect(rest[0]).toEqual(rest[1]);
  });

  // Last: it kills one of the two processes.
  it('runs again, on the other process, a simulation whose process was killed', async () => {
    const created = await b.json<{ id: string }>('POST', '/api/simulations', token, {
      file: largeSimulationFile(await exampleContestFile()),
      scenario: { trials: 1_000_000 },
      remedies: false,
    });
    const deadline = Date.now() + 30_000;
    let placed = runnerOf(created.id);
    while (placed === null && Date.now() < deadline) {
      await sleep(100);
      placed = runnerOf(created.id);
    }
    expect(placed).not.toBeNull();
    const { runner, other } = placed as NonNullable<typeof placed>;
    const survivor = await watch(other, created.id);
    const killedAt = Date.now();
    await runner.process.stop('SIGKILL');
    // The lease (10 s) expires, the survivor queues the run again and claims it.
    await waitForEvent<Update>(
      survivor.watcher,
      'simulation',
      (update) =>
        update.id === created.id &&
        update.state === 'running' &&
        (update.progress?.trialsDone ?? 0) > 0,
      60_000,
    );
    process.stdout.write(
      `${JSON.stringify({ figure: 'simulation-takeover', unit: 'ms', value: Date.now() - killedAt })}\n`,
    );
    expect(other.messages().includes(`simulation ${created.id} claimed by this process`)).toBe(
      true,
    );
    expect(survivor.updates.map((update) => update.state)).toContain('queued');
    await other.json('POST', `/api/simulations/${created.id}/cancel`, token);
    expect(await stateOf(other, created.id)).toBe('cancelled');
  });
});

/** A Redis of this suite's own (`redis-server` on a free port), so it can be stopped. */
async function startRedis(port: number): Promise<ChildProcess> {
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return server;
    await sleep(50);
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

/**
 * Redis is not needed for correctness: while it is away, events posted to one process still reach
 * the clients of the other (through PostgreSQL), state notices still reach every client once, and
 * neither process stops; when it is back, rooms are shared again.
 */
describe('two API processes when Redis goes away', () => {
  let database: TestDatabase;
  let redis: ChildProcess;
  let redisPort: number;
  let a: Replica;
  let b: Replica;
  let token: string;
  const clients: LiveClient[] = [];
  const file = liveContestFile(10, 'r');

  async function connect(replica: Replica, contestId: string): Promise<LiveClient> {
    const socket = await connectLive(replica.base, token);
    clients.push(socket);
    const ack = await socket.emitWithAck('subscribe', { contestId });
    if (!ack.ok) throw new Error(`subscribe: ${ack.error}`);
    return socket;
  }

  async function postSale(replica: Replica, contestId: string, n: number): Promise<number> {
    const answer = await replica.json<{ contests: { contestId: string; seq: number }[] }>(
      'POST',
      '/api/events',
      token,
      {
        type: 'sale',
        source: 'outage',
        externalId: `o-${n}`,
        participantId: 'r1',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        amountMinor: 100_000,
        marginMinor: 20_000,
      },
    );
    return answer.contests.find((link) => link.contestId === contestId)?.seq ?? -1;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    const url = `redis://127.0.0.1:${redisPort}`;
    [a, b] = await Promise.all([
      Replica.start('A', database.url, url),
      Replica.start('B', database.url, url),
    ]);
    token = await login(a);
  });

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    await Promise.all([a?.process.stop(), b?.process.stop()]);
    redis?.kill('SIGKILL');
    await database?.drop();
  });

  it('keeps standings and notices flowing between the processes while Redis is down', async () => {
    const { id } = await a.json<{ id: string }>('POST', '/api/contests', token, file);
    const onB = await connect(b, id); // subscribed to the draft: it hears the launch
    const onA = await connect(a, id);
    const notices: string[][] = [[], []];
    for (const [index, socket] of [onA, onB].entries()) {
      socket.on('contest', (notice) => {
        if (notice.contestId === id) notices[index]?.push(notice.state);
      });
    }
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    // Both processes notice the lost connection and log it.
    const unavailable = /^Redis (publisher|subscriber) unavailable/;
    for (const replica of [a, b]) {
      const deadline = Date.now() + 10_000;
      while (!replica.messages().some((m) => unavailable.test(m)) && Date.now() < deadline)
        await sleep(50);
      expect(replica.messages().some((m) => unavailable.test(m))).toBe(true);
    }

    const launched = waitForEvent<{ contestId: string; state: string }>(
      onB,
      'contest',
      (notice) => notice.contestId === id && notice.state === 'live',
      10_000,
    );
    await a.json('POST', `/api/contests/${id}/launch`, token, LAUNCH_PAST_GATE);
    await launched;
    for (let n = 1; n <= 4; n += 1) {
      const from = n % 2 === 0 ? b : a;
      const to = n % 2 === 0 ? onA : onB;
      const seen = waitForEvent<LiveView>(
        to,
        'standings',
        (view) => view.contestId === id && view.seq >= n,
        5_000,
      );
      expect(await postSale(from, id, n)).toBe(n);
      await seen;
    }
    await sleep(300);
    expect(notices).toEqual([['live'], ['live']]);
    expect(a.process.child.exitCode).toBeNull();
    expect(b.process.child.exitCode).toBeNull();

    // Redis is back on the same port: the clients reconnect, rooms are shared again.
    redis = await startRedis(redisPort);
    const reconnected = Date.now() + 15_000;
    while (
      Date.now() < reconnected &&
      ![a, b].every(
        (replica) =>
          replica.messages().filter((m) => m === 'Redis publisher connected').length >= 2,
      )
    )
      await sleep(100);
    for (const replica of [a, b])
      expect(
        replica.messages().filter((m) => m === 'Redis publisher connected').length,
      ).toBeGreaterThanOrEqual(2);
    const seen = waitForEvent<LiveView>(
      onB,
      'standings',
      (view) => view.contestId === id && view.seq >= 5,
      5_000,
    );
    expect(await postSale(a, id, 5)).toBe(5);
    await seen;
  });
});
