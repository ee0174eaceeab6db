import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContestFile } from '@podium/contest-model';
import type { TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, type Answer } from '../../../../tests/support/http.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';
import { AuthService } from '../auth/auth.service.js';
import { ANONYMOUS } from '../auth/principal.js';
import { createCanvas, encodePng, fill } from '../demo/png.js';
import { DisplaysService } from '../displays/displays.service.js';
import { UsersService } from '../users/users.service.js';
import { contestRulesViewSchema } from './dto/contest-rules.schema.js';

type Rules = ReturnType<(typeof contestRulesViewSchema)['parse']>;

/**
 * `GET /api/contests/:id/rules`: the rules every reader of a contest may see (a seller of the
 * contest, its display), never a plan, a participant or a figure; the same 404 as the contest
 * itself for whoever may not read it.
 */
describe('GET /api/contests/:id/rules', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;
  let file: ContestFile;
  let leagueContest: string;
  let draft: string;
  const tokens = { seller: '', display: '', apiKey: '' };
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  const get = <T = Rules>(id: string, token: string | null = admin): Promise<Answer<T>> =>
    call<T>(sut.url, 'GET', `/api/contests/${id}/rules`, token === null ? {} : { token });

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token: admin } = await createAdminApp(database.url, {}, { clock }));
    file = { ...(await exampleContestFile()), events: [] };
    const [first, second, third, fourth] = file.participants;
    const created = await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token: admin,
      body: {
        ...file,
        name: 'Leagues',
        funding: { fundShare: 0.3, guaranteedMinor: 5_000_000, capMinor: 50_000_000 },
        prizes: [
          { place: 1, league: 'veteran', title: 'Trip', costMinor: 15_000_000 },
          { place: 1, league: 'newcomer', title: 'Gift', costMinor: 2_500_000 },
        ],
        criteria: [
          { metric: 'turnover', basis: 'percentOfPlan', weight: 1, cap: 200, title: 'Turnover' },
          { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10, floor: 0 },
        ],
        leagues: { by: 'tenure', newcomerMonths: 6 },
        teamStandings: { aggregate: 'average' },
        participants: [first, second, third, { ...fourth, hiredOn: '2026-01-01' }],
      },
    });
    expect(created.status).toBe(201);
    leagueContest = created.body.id;
    expect(
      (
        await call(sut.url, 'POST', `/api/contests/${leagueContest}/launch`, {
          token: admin,
          body: LAUNCH_PAST_GATE,
        })
      ).status,
    ).toBe(200);
    const canvas = createCanvas(32, 24);
    fill(canvas, () => [200, 120, 40, 255]);
    const upload = await call(
      sut.url,
      'PUT',
      `/api/contests/${leagueContest}/prizes/1/image?league=newcomer`,
      { token: admin, raw: encodePng(canvas), headers: { 'content-type': 'image/png' } },
    );
    expect(upload.status).toBe(200);
    draft = (
      await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
        token: admin,
        body: { ...file, name: 'Draft' },
      })
    ).body.id;

    const seller = await sut.app.get(UsersService).create({
      email: 'seller@rules.test',
      password: 'a long enough password',
      role: 'seller',
      participantId: 'p1',
    });
    tokens.seller = (await sut.app.get(AuthService).createSession(seller.id)).token;
    tokens.display = (
      await sut.app
        .get(DisplaysService)
        .create({ name: 'TV', contestIds: [leagueContest, draft] }, ANONYMOUS)
    ).token;
    tokens.apiKey = (
      await call<{ key: string }>(sut.url, 'POST', '/api/api-keys', {
        token: admin,
        body: { name: 'CRM', scopes: ['events:write'] },
      })
    ).body.key;
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('answers every rule, in the documented shape, with the pictured prizes marked', async () => {
    const answer = await get(leagueContest);
    expect(answer.status).toBe(200);
    expect(contestRulesViewSchema.strict().parse(answer.body)).toEqual({
      id: leagueContest,
      name: 'Leagues',
      description: file.description,
      currency: 'RUB',
      period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      criteria: [
        {
          metric: 'turnover',
          product: null,
          name: null,
          basis: 'percentOfPlan',
          minDeals: null,
          minLeads: null,
          title: 'Turnover',
          unit: null,
          weight: 1,
          cap: 200,
          floor: null,
        },
        {
          metric: 'newClients',
          product: null,
          name: null,
          basis: 'absolute',
          minDeals: null,
          minLeads: null,
          title: null,
          unit: 1,
          weight: 10,
          cap: null,
          floor: 0,
        },
      ],
      eligibility: [
        {
          metric: 'turnover',
          product: null,
          name: null,
          basis: 'percentOfPlan',
          minDeals: null,
          minLeads: null,
          min: 100,
        },
      ],
      leagues: { by: 'tenure', newcomerMonths: 6 },
      prizes: [
        {
          place: 1,
          league: 'veteran',
          title: 'Trip',
          costMinor: 15_000_000,
          poolPercent: null,
          hasImage: false,
        },
        {
          place: 1,
          league: 'newcomer',
          title: 'Gift',
          costMinor: 2_500_000,
          poolPercent: null,
          hasImage: true,
        },
      ],
      funding: {
        fundShare: 0.3,
        guaranteedMinor: 5_000_000,
        capMinor: 50_000_000,
        mode: 'unlockInOrder',
      },
      teamStandings: { aggregate: 'average', teams: 2 },
    });
  });

  it('gives a seller of the contest and its display the same rules, and no plan or figure', async () => {
    const staff = await get(leagueContest);
    for (const token of [tokens.seller, tokens.display]) {
      const answer = await get(leagueContest, token);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(staff.body);
      const text = JSON.stringify(answer.body);
      for (const secret of ['"plan"', '"participants"', '"history"', 'Anna', 'North']) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain(String(file.participants[0]?.plan.turnoverMinor));
    }
  });

  it('is a 404 for a contest that does not exist, and for a draft to a seller or a display', async () => {
    const missing = await get<{ message: string }>('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/no contest/);
    expect((await get(draft)).status).toBe(200);
    expect((await get(draft, tokens.seller)).status).toBe(404);
    expect((await get(draft, tokens.display)).status).toBe(404);
  });

  it('refuses an API key (403) and an anonymous caller (401); a bad id is a 400', async () => {
    expect((await get(leagueContest, tokens.apiKey)).status).toBe(403);
    expect((await get(leagueContest, null)).status).toBe(401);
    const bad = await get<{ message: string }>('not-a-uuid');
    expect(bad.status).toBe(400);
  });
});
