import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContestFile } from '@podium/contest-model';
import type { TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, request, type Answer } from '../../../../tests/support/http.js';
import { connectLive } from '../../../../tests/support/live.js';
import { AuthService } from '../auth/auth.service.js';
import { DisplaysService } from '../displays/displays.service.js';
import { ANONYMOUS } from '../auth/principal.js';
import { UsersService } from '../users/users.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

/** Every route a seller, a personal link or a display may call about one contest. */
const READ_ROUTES = [
  (id: string) => `/contests/${id}`,
  (id: string) => `/contests/${id}/standings`,
  (id: string) => `/contests/${id}/checkpoints`,
  (id: string) => `/contests/${id}/rules`,
  (id: string) => `/contests/${id}/standings.csv`,
  (id: string) => `/contests/${id}/standings.xlsx`,
  (id: string) => `/contests/${id}/checkpoints/1.csv`,
  (id: string) => `/contests/${id}/forecast`,
  (id: string) => `/contests/${id}/forecast/history`,
] as const;

/**
 * A seller (by login or by personal link) sees the contests they take part in, from `scheduled`
 * on; a display the contests assigned to it, from `scheduled` on; drafts are staff-only. Another
 * contest is a 404 on every channel, as for a display not assigned to it: its existence is not
 * revealed.
 */
describe('who reads which contest', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;
  let file: ContestFile;
  const ids = { own: '', foreign: '', ownDraft: '', ownScheduled: '' };
  const tokens = { seller: '', link: '', display: '', manager: '' };
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  const api = <T = unknown>(method: string, path: string, token = admin): Promise<Answer<T>> =>
    call<T>(sut.url, method, `/api${path}`, { token });

  /** The status of a read (exports answer CSV or XLSX, not JSON). */
  async function status(path: string, token: string): Promise<number> {
    const response = await request(sut.url, 'GET', `/api${path}`, { token });
    await response.arrayBuffer();
    return response.status;
  }

  async function contest(name: string, changes: Partial<ContestFile>, launch: boolean) {
    const created = await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token: admin,
      body: { ...file, name, ...changes },
    });
    expect(created.status).toBe(201);
    if (launch) {
      const launched = await call(sut.url, 'POST', `/api/contests/${created.body.id}/launch`, {
        token: admin,
        body: LAUNCH_PAST_GATE,
      });
      expect(launched.status).toBe(200);
    }
    return created.body.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token: admin } = await createAdminApp(database.url, {}, { clock }));
    file = { ...(await exampleContestFile()), events: [] };
    // Two months, so that a checkpoint (1 March) exists while the contest is live.
    const period = { start: '2026-02-01', end: '2026-04-01' };
    ids.own = await contest('Own', { period }, true);
    ids.foreign = await contest(
      'Foreign',
      {
        period,
        participants: file.participants.slice(0, 2).map((participant, index) => ({
          ...participant,
          id: `f${index + 1}`,
          name: `Foreign ${index + 1}`,
        })),
      },
      true,
    );
    ids.ownDraft = await contest('Own draft', {}, false);
    ids.ownScheduled = await contest(
      'Own scheduled',
      { period: { start: '2026-05-01', end: '2026-06-01' } },
      true,
    );
    await sut.app.get(LifecycleService).tick();
    for (const id of [ids.own, ids.foreign])
      expect((await api('POST', `/contests/${id}/checkpoints/1/publish`)).status).toBe(200);

    const users = sut.app.get(UsersService);
    const auth = sut.app.get(AuthService);
    const seller = await users.create({
      email: 'seller@access.test',
      password: 'a long enough password',
      role: 'seller',
      participantId: 'p1',
    });
    tokens.seller = (await auth.createSession(seller.id)).token;
    const manager = await users.create({
      email: 'manager@access.test',
      password: 'a long enough password',
      role: 'manager',
      participantId: null,
    });
    tokens.manager = (await auth.createSession(manager.id)).token;
    tokens.link = (
      await api<{ token: string }>('POST', '/participants/p1/personal-link')
    ).body.token;
    // A display assigned to every contest: still no draft and no contest it was not given.
    tokens.display = (
      await sut.app
        .get(DisplaysService)
        .create({ name: 'TV', contestIds: [ids.own, ids.ownDraft, ids.ownScheduled] }, ANONYMOUS)
    ).token;
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  async function listed(token: string): Promise<string[]> {
    const answer = await api<{ id: string }[]>('GET', '/contests', token);
    expect(answer.status).toBe(200);
    return answer.body.map((contest) => contest.id).sort();
  }

  async function subscribe(token: string, contestId: string): Promise<boolean | string> {
    const socket = await connectLive(sut.url, token);
    try {
      const ack = await socket.emitWithAck('subscribe', { contestId });
      return ack.ok ? true : ack.error;
    } finally {
      socket.disconnect();
    }
  }

  it('lists to staff every contest, drafts included', async () => {
    expect(await listed(tokens.manager)).toEqual(Object.values(ids).sort());
  });

  describe.each([
    ['a seller', () => tokens.seller],
    ['a personal link', () => tokens.link],
  ])('%s', (_name, token) => {
    it('lists only the launched contests they take part in', async () => {
      expect(await listed(token())).toEqual([ids.own, ids.ownScheduled].sort());
    });

    it('reads their own contest on every route and the socket', async () => {
      for (const route of READ_ROUTES) {
        expect([route(ids.own), await status(route(ids.own), token())]).toEqual([
          route(ids.own),
          200,
        ]);
      }
      expect(await subscribe(token(), ids.own)).toBe(true);
      expect((await api('GET', `/contests/${ids.ownScheduled}`, token())).status).toBe(200);
    });

    it('gets a 404 for another contest and for a draft, on every route and the socket', async () => {
      for (const id of [ids.foreign, ids.ownDraft]) {
        for (const route of READ_ROUTES) {
          expect([route(id), await status(route(id), token())]).toEqual([route(id), 404]);
        }
        expect(await subscribe(token(), id)).toMatch(/^not found/);
      }
    });
  });

  describe('a display', () => {
    it('lists and reads its launched contests, never a draft', async () => {
      expect(await listed(tokens.display)).toEqual([ids.own, ids.ownScheduled].sort());
      expect((await api('GET', `/contests/${ids.own}/standings`, tokens.display)).status).toBe(200);
      for (const route of READ_ROUTES) {
        expect([route(ids.ownDraft), await status(route(ids.ownDraft), tokens.display)]).toEqual([
          route(ids.ownDraft),
          404,
        ]);
      }
      expect(await subscribe(tokens.display, ids.ownDraft)).toMatch(/^not found/);
      expect(await subscribe(tokens.display, ids.own)).toBe(true);
    });
  });
});
