import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  parseContestFile,
  type ContestFileInput,
  type LiveServerEvents,
  type LiveView,
  type PrizeResult,
  type StandingRow,
} from '@podium/contest-model';
import pg from 'pg';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectLive, type LiveClient } from '../support/live.js';
import { waitForEvent } from '../support/process.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const file: ContestFileInput = {
  name: 'Live',
  period: { start: '2026-06-01', end: '2026-07-01' },
  funding: { fundShare: 0.4, mode: 'unlockInOrder' },
  prizes: [
    { place: 1, title: 'Trip', costMinor: 1_000_000 },
    { place: 2, title: 'Phone', costMinor: 500_000 },
  ],
  criteria: [{ metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 }],
  participants: Array.from({ length: 30 }, (_, index) => ({
    id: `l${index + 1}`,
    name: `Seller ${index + 1}`,
    plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
  })),
};

/**
 * The simulation a director watches, and how long it may take: a trial of 30 sellers costs well
 * under a millisecond, so 5 ms a trial only fails a simulation that hangs, however busy the machine.
 */
const SIMULATION_TRIALS = 20_000;
const SIMULATION_LIMIT_MS = SIMULATION_TRIALS * 5;

let counter = 0;
function sale(participant: number, amountMinor = 150_000) {
  counter += 1;
  return {
    type: 'sale',
    source: 'crm',
    externalId: `live-${counter}`,
    participantId: `l${participant}`,
    occurredAt: '2026-06-10T10:00:00Z',
    amountMinor,
    marginMinor: Math.round(amountMinor * 0.3),
  };
}

/** The live protocol with real socket.io clients against the running API. */
describe('/live', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let contestId: string;
  let otherContestId: string;
  const clock = new ManualClock(new Date('2026-06-15T12:00:00Z'));
  const clients: LiveClient[] = [];

  async function api(method: string, path: string, body?: unknown, bearer = token) {
    const response = await fetch(`${sut.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function client(bearer = token): Promise<LiveClient> {
    const socket = await connectLive(sut.url, bearer);
    clients.push(socket);
    return socket;
  }

  async function restStandings(): Promise<{
    seq: number;
    standings: StandingRow[];
    fundMinor: number;
    planMarginMinor: number;
    planTurnoverMinor: number;
    prizes: PrizeResult[];
  }> {
    return (await api('GET', `/api/contests/${contestId}/standings`)).body as never;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(
      database.url,
      { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password },
      { clock },
    );
    token = await login(sut.url);
    const parsed = parseContestFile(file);
    if (!parsed.success) throw new Error('bad fixture');
    contestId = (await api('POST', '/api/contests', parsed.data)).body.id as string;
    await api('POST', `/api/contests/${contestId}/launch`, LAUNCH_PAST_GATE);
    otherContestId = (await api('POST', '/api/contests', { ...parsed.data, name: 'Other' })).body
      .id as string;
  });

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    await sut.close();
    await database.drop();
  });

  it('answers subscribe with the snapshot, then pushes standings with the next seq', async () => {
    const socket = await client();
    const ack = await socket.emitWithAck('subscribe', { contestId });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.snapshot).toMatchObject({ contestId, seq: 0, state: 'live', participants: 30 });
    expect(ack.snapshot.top).toHaveLength(20);

    // How soon it comes is the fanout benchmark's figure; this proves it comes, with seq 1.
    const next = waitForEvent<LiveView>(socket, 'standings', (view) => view.seq === 1);
    await api('POST', '/api/events', sale(3));
    const view = await next;
    expect(view.top[0]).toMatchObject({ participantId: 'l3', rank: 1, points: 1.5 });
  });

  it('brings 200 subscribers and 100 events to the same final seq and the REST standings', async () => {
    const sockets = await Promise.all(Array.from({ length: 200 }, () => client()));
    const latest = new Map<LiveClient, LiveView>();
    await Promise.all(
      sockets.map(async (socket) => {
        const ack = await socket.emitWithAck('subscribe', { contestId });
        if (!ack.ok) throw new Error(ack.error);
        latest.set(socket, ack.snapshot);
        socket.on('standings', (view) => {
          if (view.seq > (latest.get(socket)?.seq ?? -1)) latest.set(socket, view);
        });
      }),
    );
    for (let batch = 0; batch < 10; batch += 1) {
      await api(
        'POST',
        '/api/events',
        Array.from({ length: 10 }, (_, index) =>
          sale(1 + ((batch * 10 + index) % 30), 10_000 * (1 + index)),
        ),
      );
    }
    const rest = await restStandings();
    const deadline = Date.now() + 5_000;
    while (
      Date.now() < deadline &&
      sockets.some((socket) => latest.get(socket)?.seq !== rest.seq)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const expectedTop = rest.standings.slice(0, 20).map(({ whatItTakes: _w, ...row }) => row);
    for (const socket of sockets) {
      const view = latest.get(socket) as LiveView;
      expect(view.seq).toBe(rest.seq);
      expect(view.fund.fundMinor).toBe(rest.fundMinor);
      // The plan totals screens turn "more margin" into "more sales" with, and each prize's figures.
      expect(view.fund.planMarginMinor).toBe(rest.planMarginMinor);
      expect(view.fund.planTurnoverMinor).toBe(rest.planTurnoverMinor);
      expect(view.fund.prizes).toEqual(rest.prizes);
      expect(view.top).toEqual(expectedTop);
    }
    for (const socket of sockets) socket.disconnect();
  });

  it('brings a client cut off during 50 events back to the current standings on reconnect', async () => {
    const socket = await connectLive(sut.url, token, { reconnection: true });
    clients.push(socket);
    let view: LiveView | null = null;
    const subscribe = async () => {
      const ack = await socket.emitWithAck('subscribe', { contestId });
      if (ack.ok) view = ack.snapshot;
    };
    socket.on('connect', () => void subscribe());
    socket.on('standings', (update) => {
      if (view === null || update.seq > view.seq) view = update;
    });
    await subscribe();
    socket.io.engine.close(); // the network drops: the client reconnects by itself
    for (let index = 0; index < 50; index += 1)
      await api('POST', '/api/events', sale(1 + (index % 30), 20_000));
    const rest = await restStandings();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (view as LiveView | null)?.seq !== rest.seq) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((view as LiveView | null)?.seq).toBe(rest.seq);
    expect((view as unknown as LiveView).top).toEqual(
      rest.standings.slice(0, 20).map(({ whatItTakes: _w, ...row }) => row),
    );
  });

  it('lets a display subscribe only to its contests, without amounts', async () => {
    const created = await api('POST', '/api/displays', {
      name: 'Hall TV',
      contestIds: [contestId],
    });
    const displayToken = created.body.token as string;
    const socket = await client(displayToken);
    const mine = await socket.emitWithAck('subscribe', { contestId });
    expect(mine.ok).toBe(true);
    if (mine.ok) expect(mine.snapshot.top[0]?.criteria[0]?.value).toBeNull();
    const other = await socket.emitWithAck('subscribe', { contestId: otherContestId });
    expect(other).toEqual({ ok: false, error: expect.stringContaining('not found') });
  });

  it("serves a renamed contest's name and amounts rule to the next subscriber and update", async () => {
    const created = await api('POST', '/api/displays', { name: 'Lobby', contestIds: [contestId] });
    const display = await client(created.body.token as string);
    const before = await display.emitWithAck('subscribe', { contestId });
    if (!before.ok) throw new Error(before.error);
    expect(before.snapshot.top[0]?.criteria[0]?.value).toBeNull();

    const patched = await api('PATCH', `/api/contests/${contestId}`, {
      name: 'Live (renamed)',
      showAmounts: true,
    });
    expect(patched.status).toBe(200);
    try {
      const after = await display.emitWithAck('subscribe', { contestId });
      if (!after.ok) throw new Error(after.error);
      expect(after.snapshot).toMatchObject({ name: 'Live (renamed)', showAmounts: true });
      expect(after.snapshot.top[0]?.criteria[0]?.value).not.toBeNull();
      const next = waitForEvent<LiveView>(
        display,
        'standings',
        (view) => view.seq > after.snapshot.seq,
      );
      await api('POST', '/api/events', sale(4));
      expect(await next).toMatchObject({ name: 'Live (renamed)', showAmounts: true });
    } finally {
      await api('PATCH', `/api/contests/${contestId}`, { name: 'Live', showAmounts: false });
    }
    const hidden = await display.emitWithAck('subscribe', { contestId });
    if (!hidden.ok) throw new Error(hidden.error);
    expect(hidden.snapshot).toMatchObject({ name: 'Live', showAmounts: false });
    expect(hidden.snapshot.top[0]?.criteria[0]?.value).toBeNull();
  });

  it("shows a seller their own amounts in the shared top rows, and nobody else's", async () => {
    const leader = (await restStandings()).standings[0] as StandingRow;
    const link = await api('POST', `/api/participants/${leader.participantId}/personal-link`);
    expect(link.status).toBe(201);
    const phone = await client(link.body.token as string);
    const mine = await phone.emitWithAck('subscribe', { contestId });
    if (!mine.ok) throw new Error(mine.error);
    expect(mine.snapshot.showAmounts).toBe(false);
    expect(mine.snapshot.top[0]).toMatchObject({ participantId: leader.participantId });
    expect(mine.snapshot.top[0]?.criteria[0]?.value).toBe(leader.criteria[0]?.value);
    expect(
      mine.snapshot.top.slice(1).every((row: StandingRow) => row.criteria[0]?.value === null),
    ).toBe(true);
    expect(mine.snapshot.focus?.participantId).toBe(leader.participantId);
    // The rows shared with every public screen were not changed by that seller's copy.
    const created = await api('POST', '/api/displays', { name: 'Door', contestIds: [contestId] });
    const display = await client(created.body.token as string);
    const shared = await display.emitWithAck('subscribe', { contestId });
    if (!shared.ok) throw new Error(shared.error);
    expect(shared.snapshot.seq).toBe(mine.snapshot.seq);
    expect(shared.snapshot.top.every((row: StandingRow) => row.criteria[0]?.value === null)).toBe(
      true,
    );
    expect(shared.snapshot.focus).toBeNull();
  });

  it(
    "pushes a simulation's progress to a director who watches it",
    async () => {
      const socket = await client();
      const parsed = parseContestFile(file);
      if (!parsed.success) throw new Error('bad fixture');
      const participants = parsed.data.participants.map((participant) => ({
        ...participant,
        stats: { turnoverMeanMinor: 10_000_000, turnoverCv: 0.3, marginRate: 0.3 },
      }));
      const started = await api('POST', '/api/simulations', {
        file: { ...parsed.data, participants },
        scenario: { uplift: 0.1, correlation: 0.3, trials: SIMULATION_TRIALS, seed: 3 },
        remedies: false,
      });
      expect(started.status).toBe(202);
      const id = started.body.id as string;
      const done = waitForEvent<Parameters<LiveServerEvents['simulation']>[0]>(
        socket,
        'simulation',
        (update) => update.id === id && update.state === 'done',
        SIMULATION_LIMIT_MS,
      );
      await expect(socket.emitWithAck('watchSimulation', { id })).resolves.toEqual({
        ok: true,
      });
      await expect(done).resolves.toMatchObject({ id, state: 'done' });
    },
    SIMULATION_LIMIT_MS + 60_000,
  );

  it('refuses an unknown or expired token at the handshake', async () => {
    await expect(connectLive(sut.url, 'pds_not-a-real-token')).rejects.toThrow(/unauthorized/);
    const expiring = await login(sut.url);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE sessions SET expires_at = now() - interval '1 minute'");
    await client.end();
    await expect(connectLive(sut.url, expiring)).rejects.toThrow(/unauthorized/);
  });
});
