import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LifecycleService } from '../../apps/api/src/contests/lifecycle.service.js';
import { sign } from '../../apps/api/src/integrations/signed-webhooks.service.js';
import { login } from '../support/app.js';
import { call, issuePaths } from '../support/http.js';
import { CrmWorld, form } from '../support/crm.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

/** amoCRM's "lead status changed" webhook for one lead (the fields Podium reads, as sent). */
function leadChange({
  id,
  status,
  oldStatus,
  price,
  user,
  modified,
}: {
  id: number;
  status: number;
  oldStatus: number;
  price: string;
  user: number;
  modified: string;
}): string {
  const key = (name: string) => `leads[status][0][${name}]`;
  const seconds = Math.floor(new Date(modified).getTime() / 1000);
  return form([
    [key('id'), id],
    [key('name'), `Deal #${id}`],
    [key('status_id'), status],
    [key('old_status_id'), oldStatus],
    [key('price'), price],
    [key('responsible_user_id'), user],
    [key('last_modified'), seconds],
    [key('pipeline_id'), 7039099],
    [key('account_id'), 29085955],
    [key('created_at'), seconds],
    [key('updated_at'), seconds],
    ['account[subdomain]', 'acme'],
    ['account[id]', 29085955],
  ]);
}

const WON = 142;
const LOST = 143;
const IN_PROGRESS = 7039101;

/**
 * A sale of the period cancelled after the period ended (DESIGN §3.8). Two contests of March
 * count the same deals: one still closing, one closed early. Anna's big deal is cancelled on
 * 2 April: the closing contest's final standings lose it; the closed one keeps its result and
 * records a clawback saying what it would have changed.
 */
describe('late cancellations', () => {
  const world = new CrmWorld();
  let webhookUrl: string;
  let closedId: string;
  let director: string;
  let seller: string;

  const post = (body: string) => world.postForm(webhookUrl, body);
  const as = (token: string, method: string, path: string, body?: unknown) =>
    call<Record<string, unknown>>(world.sut.url, method, path, { token, body });

  beforeAll(async () => {
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM acme',
      settings: { marginRate: 0.2, currency: 'RUB' },
    });
    webhookUrl = created.body.webhookUrl as string;
    await world.admin('PUT', `/api/integrations/${created.body.id as string}/mappings`, {
      '5501': 'anna',
      '5502': 'boris',
    });
    const file = await world.admin('GET', `/api/contests/${world.contestId}/file`);
    const twin = await world.admin('POST', '/api/contests', { ...file.body, name: 'March twin' });
    expect(twin.status).toBe(201);
    closedId = twin.body.id as string;
    expect(
      (await world.admin('POST', `/api/contests/${closedId}/launch`, LAUNCH_PAST_GATE)).body.state,
    ).toBe('live');
    for (const [email, role] of [
      ['director@late.test', 'director'],
      ['seller@late.test', 'seller'],
    ] as const) {
      const user = await world.admin('POST', '/api/users', {
        email,
        password: 'late-cancellation-password',
        role,
        participantId: role === 'seller' ? 'anna' : null,
      });
      expect(user.status).toBe(201);
    }
    const password = 'late-cancellation-password';
    director = await login(world.sut.url, { email: 'director@late.test', password });
    seller = await login(world.sut.url, { email: 'seller@late.test', password });
  });

  afterAll(() => world.stop());

  it('changes the final standings while closing, and makes a clawback once closed', async () => {
    // 400,000.00 × 0.2 = 80,000.00 of margin (80 points) for Anna, 10 and 20 more points.
    for (const [id, price, user] of [
      [41001, '400000', 5501],
      [41002, '100000', 5502],
      [41003, '50000', 5501],
    ] as const) {
      const answer = await post(
        leadChange({
          id,
          status: WON,
          oldStatus: IN_PROGRESS,
          price,
          user,
          modified: '2026-03-10T09:00:00Z',
        }),
      );
      expect(answer.status).toBe(200);
    }
    expect(await world.points()).toEqual({ anna: 90, boris: 20 });

    world.clock.set('2026-04-02T08:00:00Z');
    await world.sut.app.get(LifecycleService).tick();
    expect((await world.admin('POST', `/api/contests/${closedId}/close`)).body).toMatchObject({
      state: 'closed',
    });
    const closedReport = await world.admin('GET', `/api/contests/${closedId}/report`);
    // Margin 110,000.00 − plan 40,000.00 = 70,000.00 above plan; 40 % of it funds the trip.
    expect(closedReport.body).toMatchObject({ fundMinor: 2_800_000, prizesPaidMinor: 1_000_000 });

    const cancel = leadChange({
      id: 41001,
      status: LOST,
      oldStatus: WON,
      price: '400000',
      user: 5501,
      modified: '2026-04-02T09:00:00Z',
    });
    expect((await post(cancel)).status).toBe(200);

    // Closing: the reversal dated 2 April counts, and the final result says so.
    expect(await world.points()).toEqual({ anna: 10, boris: 20 });
    expect((await world.admin('POST', `/api/contests/${world.contestId}/close`)).status).toBe(200);
    const final = await world.admin('GET', `/api/contests/${world.contestId}/report`);
    expect(final.body).toMatchObject({ fundMinor: 0, prizesPaidMinor: 0, clawbacks: [] });
    const standings = await world.admin('GET', `/api/contests/${world.contestId}/standings`);
    expect(
      (standings.body.standings as { participantId: string; rank: number }[]).map((row) => [
        row.participantId,
        row.rank,
      ]),
    ).toEqual([
      ['boris', 1],
      ['anna', 2],
    ]);

    // Closed: the result stands, the clawback says what the cancellation would have changed.
    const report = await world.admin('GET', `/api/contests/${closedId}/report`);
    expect(report.body).toMatchObject({ fundMinor: 2_800_000, prizesPaidMinor: 1_000_000 });
    expect(report.body.clawbacks).toEqual([
      expect.objectContaining({
        participantId: 'anna',
        participantName: 'Anna',
        source: 'amocrm',
        saleExternalId: 'lead-41001',
        amountMinor: 40_000_000,
        marginMinor: 8_000_000,
        reversalExternalId: 'lead-41001/reversal',
        cancelledAt: '2026-04-02T09:00:00.000Z',
        decision: null,
        wouldHave: {
          rankBefore: 1,
          rankAfter: 2,
          pointsBefore: 90,
          pointsAfter: 10,
          prizeBefore: { place: 1, league: null, title: 'Trip', paidMinor: 1_000_000 },
          prizeAfter: null,
          fundBeforeMinor: 2_800_000,
          fundAfterMinor: 0,
          prizes: [
            {
              place: 1,
              league: null,
              title: 'Trip',
              amountBeforeMinor: 1_000_000,
              amountAfterMinor: 0,
              unlockedBefore: true,
              unlockedAfter: false,
              winnerBefore: 'anna',
              winnerAfter: 'boris',
            },
          ],
        },
      }),
    ]);
  });

  it('makes no second clawback for the same cancellation, by webhook or by POST /api/events', async () => {
    const count = async () =>
      (await world.rows('SELECT count(*)::int AS n FROM contest_clawbacks'))[0]?.n;
    expect(await count()).toBe(1);
    const again = leadChange({
      id: 41001,
      status: LOST,
      oldStatus: WON,
      price: '400000',
      user: 5501,
      modified: '2026-04-02T09:00:00Z',
    });
    expect((await post(again)).status).toBe(200);
    const manual = await world.admin('POST', '/api/events', {
      type: 'reversal',
      source: 'amocrm',
      externalId: 'manual-41001',
      reversesExternalId: 'lead-41001',
      participantId: 'anna',
      occurredAt: '2026-04-03T10:00:00Z',
    });
    expect(manual.status).toBe(201);
    expect(await count()).toBe(1);
  });

  it('makes a clawback of a reversal posted to POST /api/events', async () => {
    const manual = await world.admin('POST', '/api/events', {
      type: 'reversal',
      source: 'amocrm',
      externalId: 'manual-41002',
      reversesExternalId: 'lead-41002',
      participantId: 'boris',
      occurredAt: '2026-04-03T10:00:00Z',
    });
    expect(manual.status).toBe(201);
    const report = await world.admin('GET', `/api/contests/${closedId}/report`);
    const clawbacks = report.body.clawbacks as { saleExternalId: string; wouldHave: unknown }[];
    expect(clawbacks.map((clawback) => clawback.saleExternalId)).toEqual([
      'lead-41001',
      'lead-41002',
    ]);
    // Boris was second and stays second; the fund loses 40 % of his 20,000.00 of margin.
    expect(clawbacks[1]?.wouldHave).toMatchObject({
      rankBefore: 2,
      rankAfter: 2,
      prizeBefore: null,
      prizeAfter: null,
      fundBeforeMinor: 2_800_000,
      fundAfterMinor: 2_000_000,
    });
  });

  it('makes a clawback of a reversal the signed generic webhook sends', async () => {
    const created = await world.admin('POST', '/api/integrations', { kind: 'webhook', name: '1C' });
    expect(created.status).toBe(201);
    const body = JSON.stringify({
      type: 'reversal',
      source: 'amocrm',
      externalId: '1c-return-41003',
      reversesExternalId: 'lead-41003',
      participantId: 'anna',
      occurredAt: '2026-04-02T11:00:00Z',
    });
    const timestamp = String(Math.floor(world.clock.now().getTime() / 1000));
    const response = await fetch(created.body.webhookUrl as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-podium-timestamp': timestamp,
        'x-podium-signature': sign(created.body.secret as string, timestamp, body),
      },
      body,
    });
    expect(response.status).toBe(201);
    const report = await world.admin('GET', `/api/contests/${closedId}/report`);
    const clawbacks = report.body.clawbacks as { saleExternalId: string; amountMinor: number }[];
    expect(clawbacks.map((clawback) => [clawback.saleExternalId, clawback.amountMinor])).toEqual([
      ['lead-41001', 40_000_000],
      ['lead-41002', 10_000_000],
      ['lead-41003', 5_000_000],
    ]);
  });

  it("records the director's decision with its audit row, once", async () => {
    const report = await world.admin('GET', `/api/contests/${closedId}/report`);
    const [first] = report.body.clawbacks as { id: number }[];
    const path = `/api/contests/${closedId}/clawbacks/${first?.id ?? 0}`;

    const bad = await as(director, 'POST', path, { decision: 'forgive', note: '' });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad).sort()).toEqual(['decision', 'note']);
    expect((await as(seller, 'POST', path, { decision: 'waive', note: 'no' })).status).toBe(403);
    const missing = await as(director, 'POST', `/api/contests/${closedId}/clawbacks/999999`, {
      decision: 'waive',
      note: 'none',
    });
    expect(missing.status).toBe(404);
    expect(
      await world.rows("SELECT 1 FROM contest_audit WHERE action = 'clawback-decided'"),
    ).toEqual([]);

    const decided = await as(director, 'POST', path, {
      decision: 'recover',
      note: 'Deduct the trip from the April bonus',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      id: first?.id,
      decision: 'recover',
      note: 'Deduct the trip from the April bonus',
      decidedBy: expect.stringContaining('director@late.test'),
      decidedAt: '2026-04-02T08:00:00.000Z',
    });
    const audit = await world.admin('GET', `/api/contests/${closedId}/audit`);
    expect(audit.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'clawback-decided',
          details: expect.objectContaining({
            clawbackId: first?.id,
            decision: 'recover',
            saleExternalId: 'lead-41001',
            participantId: 'anna',
          }),
        }),
      ]),
    );
    const twice = await as(director, 'POST', path, { decision: 'waive', note: 'changed my mind' });
    expect(twice).toMatchObject({ status: 409, body: { code: 'decided' } });
    const listed = await world.admin('GET', `/api/contests/${closedId}/report`);
    expect(
      (listed.body.clawbacks as { decision: string | null }[]).map((clawback) => clawback.decision),
    ).toEqual(['recover', null, null]);
  });
});
