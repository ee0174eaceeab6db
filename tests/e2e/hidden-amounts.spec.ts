import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  parseContestFile,
  type ContestFileInput,
  type LiveDeal,
  type LiveFocus,
  type LiveForecastView,
  type LiveSnapshot,
  type LiveView,
  type StandingRow,
} from '@podium/contest-model';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectLive, type LiveClient } from '../support/live.js';
import { waitForEvent } from '../support/process.js';
import { redactDeal, redactForecast, redactRows } from '../../apps/api/src/standings/redaction.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

/**
 * A contest that hides amounts, read by a seller, a personal link and a display through every
 * channel that carries standings: no field of another participant's row or deal may give back
 * an amount or a count (value, normalized value, per-criterion points, what it takes, whether a
 * deal won a new client). Each channel must serve what the one redaction function gives.
 */
const file: ContestFileInput = {
  name: 'Hidden amounts',
  period: { start: '2026-06-01', end: '2026-08-01' },
  funding: { fundShare: 0.4, mode: 'unlockInOrder' },
  prizes: [
    { place: 1, title: 'Trip', costMinor: 1_000_000 },
    { place: 2, title: 'Phone', costMinor: 500_000 },
  ],
  criteria: [
    { metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 },
    { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10 },
  ],
  participants: ['h1', 'h2', 'h3', 'h4'].map((id, index) => ({
    id,
    name: `Seller ${index + 1}`,
    plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000, newClients: 2 },
  })),
};

let counter = 0;
function sale(participantId: string, amountMinor: number, occurredAt: string) {
  counter += 1;
  return {
    type: 'sale',
    source: 'crm',
    externalId: `hidden-${counter}`,
    participantId,
    occurredAt,
    amountMinor,
    marginMinor: Math.round(amountMinor * 0.3),
    clientId: `client-${counter}`,
    isNewClient: counter % 2 === 1,
  };
}

type Viewer = 'seller' | 'link' | 'display';
const VIEWERS: readonly Viewer[] = ['seller', 'link', 'display'];
/** Whose own row each viewer may see whole. */
const SELF: Record<Viewer, string | null> = { seller: 'h1', link: 'h2', display: null };

type Row = Record<string, string>;

/** Another participant's row gives back no amount or count, only rank and total points. */
function expectOthersHidden(rows: readonly StandingRow[], self: string | null, channel: string) {
  const others = rows.filter((row) => row.participantId !== self);
  expect(others.length).toBeGreaterThan(0);
  for (const row of others) {
    expect({ channel, row: row.participantId, whatItTakes: row.whatItTakes }).toEqual({
      channel,
      row: row.participantId,
      whatItTakes: undefined,
    });
    for (const criterion of row.criteria) {
      expect({
        channel,
        row: row.participantId,
        value: criterion.value,
        normalized: criterion.normalized,
        points: criterion.points,
      }).toEqual({ channel, row: row.participantId, value: null, normalized: null, points: null });
    }
  }
}

/** Rows without `whatItTakes`, as the live views carry them. */
const withoutWhatItTakes = (rows: readonly StandingRow[]) =>
  rows.map(({ whatItTakes: _w, ...row }) => row);

describe('hidden amounts on every channel', () => {
  let database: TestDatabase;
  let sut: TestApp;
  const tokens: Partial<Record<Viewer | 'admin', string>> = {};
  const clock = new ManualClock(new Date('2026-06-15T12:00:00Z'));
  const clients: LiveClient[] = [];
  let contestId: string;

  async function api(method: string, path: string, body?: unknown, as: Viewer | 'admin' = 'admin') {
    const response = await fetch(`${sut.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[as]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as never };
  }

  async function download(path: string, as: Viewer | 'admin'): Promise<Buffer> {
    const response = await fetch(`${sut.url}${path}`, {
      headers: { authorization: `Bearer ${tokens[as]}` },
    });
    expect({ path, as, status: response.status }).toEqual({ path, as, status: 200 });
    return Buffer.from(await response.arrayBuffer());
  }

  async function subscribed(as: Viewer | 'admin'): Promise<[LiveClient, LiveSnapshot]> {
    const socket = await connectLive(sut.url, tokens[as]);
    clients.push(socket);
    const ack = await socket.emitWithAck('subscribe', { contestId });
    if (!ack.ok) throw new Error(ack.error);
    return [socket, ack.snapshot];
  }

  const adminStandings = async (): Promise<StandingRow[]> =>
    (
      (await api('GET', `/api/contests/${contestId}/standings`)).body as {
        standings: StandingRow[];
      }
    ).standings;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(
      database.url,
      { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password },
      { clock },
    );
    tokens.admin = await login(sut.url);
    const parsed = parseContestFile(file);
    if (!parsed.success) throw new Error('bad fixture');
    contestId = ((await api('POST', '/api/contests', parsed.data)).body as { id: string }).id;
    expect((await api('POST', `/api/contests/${contestId}/launch`, LAUNCH_PAST_GATE)).status).toBe(
      200,
    );
    const events = [
      sale('h1', 250_000, '2026-06-02T10:00:00Z'),
      sale('h2', 180_000, '2026-06-03T10:00:00Z'),
      sale('h3', 420_000, '2026-06-04T10:00:00Z'),
      sale('h4', 90_000, '2026-06-05T10:00:00Z'),
      sale('h3', 70_000, '2026-06-06T10:00:00Z'),
    ];
    expect((await api('POST', '/api/events', events)).status).toBe(201);
    const seller = { email: 'seller@hidden.test', password: 'hidden-seller-password' };
    const user = await api('POST', '/api/users', {
      ...seller,
      role: 'seller',
      participantId: 'h1',
    });
    expect(user.status).toBe(201);
    tokens.seller = await login(sut.url, seller);
    const link = await api('POST', '/api/participants/h2/personal-link');
    expect(link.status).toBe(201);
    tokens.link = (link.body as { token: string }).token;
    const display = await api('POST', '/api/displays', { name: 'Hall', contestIds: [contestId] });
    tokens.display = (display.body as { token: string }).token;

    // Checkpoint 1 at the July boundary, published for the public.
    clock.set('2026-07-01T00:00:01Z');
    await sut.app.get(LifecycleServiceToken).tick();
    expect((await api('POST', `/api/contests/${contestId}/checkpoints/1/publish`)).status).toBe(
      200,
    );
  });

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    await sut.close();
    await database.drop();
  });

  it('the staff see every figure (the redaction has something to hide)', async () => {
    const rows = await adminStandings();
    expect(rows.every((row) => row.criteria.every((criterion) => criterion.points !== null))).toBe(
      true,
    );
    expect(rows.some((row) => (row.criteria[0]?.normalized ?? 0) > 0)).toBe(true);
  });

  it.each(VIEWERS)('REST standings as a %s', async (as) => {
    const full = await adminStandings();
    const { standings } = (await api('GET', `/api/contests/${contestId}/standings`, undefined, as))
      .body as { standings: StandingRow[] };
    expect(standings).toEqual(redactRows(full, { allVisible: false, self: SELF[as] }));
    expectOthersHidden(standings, SELF[as], 'REST standings');
    // Rank and total points stay for everyone.
    expect(standings.map((row) => [row.participantId, row.rank, row.points])).toEqual(
      full.map((row) => [row.participantId, row.rank, row.points]),
    );
    const self = standings.find((row) => row.participantId === SELF[as]);
    if (self) expect(self).toEqual(full.find((row) => row.participantId === SELF[as]));
  });

  it.each(VIEWERS)('REST checkpoints as a %s', async (as) => {
    type Checkpoint = { number: number; standings: { standings: StandingRow[] } };
    const [full] = (await api('GET', `/api/contests/${contestId}/checkpoints`))
      .body as Checkpoint[];
    const [mine] = (await api('GET', `/api/contests/${contestId}/checkpoints`, undefined, as))
      .body as Checkpoint[];
    expect(mine?.number).toBe(1);
    expect(mine?.standings.standings).toEqual(
      redactRows(full?.standings.standings ?? [], { allVisible: false, self: SELF[as] }),
    );
    expectOthersHidden(mine?.standings.standings ?? [], SELF[as], 'REST checkpoint');
  });

  it.each(VIEWERS)('REST forecast and its history as a %s', async (as) => {
    // The staff's answer around the viewer's, until no new forecast came in between.
    for (;;) {
      const before = (await api('GET', `/api/contests/${contestId}/forecast`))
        .body as LiveForecastView;
      const mine = await api('GET', `/api/contests/${contestId}/forecast`, undefined, as);
      const after = (await api('GET', `/api/contests/${contestId}/forecast`))
        .body as LiveForecastView;
      if (before.seq !== after.seq || before.asOf !== after.asOf) continue;
      expect(before.approved).not.toBeNull();
      expect(mine).toEqual({ status: 200, body: redactForecast(before, false) });
      expect((mine.body as LiveForecastView).approved).toBeNull();
      // Chances and the expected rank per participant, never an amount.
      for (const row of (mine.body as LiveForecastView).participants)
        expect(Object.keys(row).sort()).toEqual(
          ['expectedRank', 'pFirst', 'pPrize', 'participantId'].sort(),
        );
      break;
    }
    type History = { points: { participants: { participantId: string }[] }[] };
    const full = (await api('GET', `/api/contests/${contestId}/forecast/history`)).body as History;
    const history = await api('GET', `/api/contests/${contestId}/forecast/history`, undefined, as);
    expect(history.status).toBe(200);
    const points = (history.body as History).points;
    expect(points.length).toBeGreaterThan(0);
    expect(full.points.every((point) => point.participants.length === 4)).toBe(true);
    for (const point of points)
      expect(point.participants.map((row) => row.participantId)).toEqual(
        SELF[as] === null ? [] : [SELF[as]],
      );
  });

  it.each(VIEWERS)('CSV and XLSX downloads of standings and checkpoints as a %s', async (as) => {
    for (const path of ['standings', 'checkpoints/1']) {
      const csv = parse((await download(`/api/contests/${contestId}/${path}.csv`, as)).toString(), {
        bom: true,
        columns: true,
      }) as Row[];
      const workbook = new ExcelJS.Workbook();
      const bytes = await download(`/api/contests/${contestId}/${path}.xlsx`, as);
      await workbook.xlsx.load(new Uint8Array(bytes).buffer);
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error('no sheet');
      const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      const xlsx: Row[] = [];
      sheet.eachRow((row, number) => {
        if (number === 1) return;
        const values = (row.values as unknown[]).slice(1);
        xlsx.push(
          Object.fromEntries(
            header.map((name, i) => [name, values[i] == null ? '' : String(values[i])]),
          ),
        );
      });
      for (const [format, rows] of [
        ['csv', csv],
        ['xlsx', xlsx],
      ] as const) {
        const perCriterion = Object.keys(rows[0] ?? {}).filter(
          (column) => column.startsWith('turnover_') || column.startsWith('newClients_'),
        );
        expect(perCriterion.length).toBe(4);
        const others = rows.filter((row) => row.participant_id !== SELF[as]);
        expect(others.length).toBeGreaterThan(0);
        for (const row of others) {
          expect({
            format,
            path,
            row: row.participant_id,
            cells: perCriterion.map((c) => row[c]),
          }).toEqual({
            format,
            path,
            row: row.participant_id,
            cells: perCriterion.map(() => ''),
          });
          expect(row.points).not.toBe('');
        }
      }
    }
  });

  it.each(VIEWERS)('socket snapshot, standings update, focus and deal as a %s', async (as) => {
    const [staff] = await subscribed('admin');
    const [socket, snapshot] = await subscribed(as);
    const full = await adminStandings();
    const policy = { allVisible: false, self: SELF[as] };
    expect(snapshot.top).toEqual(withoutWhatItTakes(redactRows(full, policy)));
    expectOthersHidden(snapshot.top, SELF[as], 'socket snapshot');
    if (SELF[as] !== null) {
      expect(snapshot.focus?.participantId).toBe(SELF[as]);
      expectOthersHidden(snapshot.focus?.neighbors ?? [], SELF[as], 'snapshot focus');
    }

    const seq = snapshot.seq;
    const view = waitForEvent<LiveView>(socket, 'standings', (v) => v.seq > seq, 30_000);
    const deal = waitForEvent<LiveDeal>(socket, 'deal', (d) => d.seq > seq, 30_000);
    const staffDeal = waitForEvent<LiveDeal>(staff, 'deal', (d) => d.seq > seq, 30_000);
    const focus =
      SELF[as] === null
        ? null
        : waitForEvent<LiveFocus & { seq: number }>(socket, 'focus', (f) => f.seq > seq, 30_000);
    const posted = await api('POST', '/api/events', sale('h3', 130_000, '2026-07-02T10:00:00Z'));
    expect(posted.status).toBe(201);

    const update = await view;
    const after = await adminStandings();
    // The shared public update carries no viewer's own row unredacted.
    expect(update.top).toEqual(
      withoutWhatItTakes(redactRows(after, { allVisible: false, self: null })),
    );
    expectOthersHidden(update.top, null, 'socket update');
    const received = await deal;
    expect(received.participantId).toBe('h3');
    expect(received).toEqual(redactDeal(await staffDeal, { allVisible: false, self: null }));
    expect({ amountMinor: received.amountMinor, isNewClient: received.isNewClient }).toEqual({
      amountMinor: null,
      isNewClient: null,
    });
    if (focus) expectOthersHidden((await focus).neighbors, SELF[as], 'focus update');
  });

  // Last: it closes the contest. A closed contest's snapshot is read from the stored result.
  it.each(VIEWERS)('socket forecast as a %s', async (as) => {
    const [staff] = await subscribed('admin');
    const [socket] = await subscribed(as);
    const latest = (await api('GET', `/api/contests/${contestId}/forecast`))
      .body as LiveForecastView;
    const newer = (forecast: LiveForecastView) =>
      forecast.seq > latest.seq || (forecast.seq === latest.seq && forecast.asOf > latest.asOf);
    const mine = waitForEvent<LiveForecastView>(socket, 'forecast', newer, 300_000);
    const staffs = waitForEvent<LiveForecastView>(staff, 'forecast', newer, 300_000);
    clock.set(new Date(Date.parse(latest.asOf) + 1_000).toISOString());
    sut.app.get(ForecastsServiceToken).trigger(contestId, { kind: 'launch' });
    const [pushed, full] = await Promise.all([mine, staffs]);
    expect(full.approved).not.toBeNull();
    expect(pushed).toEqual(redactForecast(full, false));
  });

  it('socket snapshots of the closed contest', async () => {
    clock.set('2026-08-05T00:00:00Z');
    const lifecycle = sut.app.get(LifecycleServiceToken);
    await lifecycle.tick();
    await lifecycle.tick();
    const contest = await api('GET', `/api/contests/${contestId}`);
    expect((contest.body as { state: string }).state).toBe('closed');
    const full = await adminStandings();
    for (const as of VIEWERS) {
      const [, snapshot] = await subscribed(as);
      expect(snapshot.state).toBe('closed');
      const policy = { allVisible: false, self: SELF[as] };
      expect(snapshot.top).toEqual(withoutWhatItTakes(redactRows(full, policy)));
      expectOthersHidden(snapshot.top, SELF[as], `closed snapshot as ${as}`);
      if (SELF[as] !== null) {
        expect(snapshot.focus?.row).toEqual(full.find((row) => row.participantId === SELF[as]));
        expectOthersHidden(snapshot.focus?.neighbors ?? [], SELF[as], `closed focus as ${as}`);
      }
    }
  });
});

// Imported late: the token is the class, which pulls in the whole API.
const { LifecycleService: LifecycleServiceToken } =
  await import('../../apps/api/src/contests/lifecycle.service.js');
const { ForecastsService: ForecastsServiceToken } =
  await import('../../apps/api/src/forecasts/forecasts.service.js');
