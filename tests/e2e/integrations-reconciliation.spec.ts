import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login } from '../support/app.js';
import { call as api } from '../support/http.js';
import { connectPortal, dealEvent } from '../support/bitrix24-sync.js';
import { CrmWorld } from '../support/crm.js';
import { FakeBitrix24, wonDeal, type FakeDeal } from '../support/fake-bitrix24.js';

/** The reconciliation of the March contest against a Bitrix24 portal (DESIGN §6b). */
describe('CRM reconciliation', () => {
  const world = new CrmWorld({ allowPrivateCrm: true });
  const portal = new FakeBitrix24();
  let id: string;
  let webhookUrl: string;

  const reconciliation = () =>
    world.admin('GET', `/api/integrations/${id}/reconciliation?contestId=${world.contestId}`);
  /** Posts the deals' webhooks and waits until every read has finished. */
  const report = async (...deals: FakeDeal[]) => {
    for (const deal of deals) {
      portal.deals.set(deal.ID, deal);
      expect((await world.postForm(webhookUrl, dealEvent(deal.ID))).status).toBe(200);
    }
    await world.eventually(
      async () => {
        world.clock.set(new Date(world.clock.now().getTime() + 5_000).toISOString());
        return (await world.admin('GET', `/api/integrations/${id}/held`)).body.pendingFetches;
      },
      (pending) => pending === 0,
    );
  };

  beforeAll(async () => {
    await portal.start();
    await world.start();
    // Deal category 0 counted; CRM users 7 and 8 are anna and boris.
    ({ id, webhookUrl } = await connectPortal(world, portal.webhookUrl));
  });

  afterAll(async () => {
    await world.stop();
    await portal.stop();
  });

  it('lists exactly an unmapped user and a foreign-currency deal, with totals on both sides', async () => {
    await report(
      wonDeal('101', { OPPORTUNITY: '150000.00' }),
      wonDeal('102', { OPPORTUNITY: '80000.00', ASSIGNED_BY_ID: '9' }),
      wonDeal('103', { OPPORTUNITY: '2500.00', CURRENCY_ID: 'USD', ASSIGNED_BY_ID: '8' }),
    );
    const answer = await reconciliation();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      integrationId: id,
      contestId: world.contestId,
      contestName: 'March margin',
      periodStart: '2026-03-01T00:00:00.000Z',
      periodEnd: '2026-04-01T00:00:00.000Z',
      currency: 'RUB',
      // Three won deals; the USD one is counted but not summed in roubles.
      crm: { count: 3, amountMinor: 23_000_000 },
      podium: { count: 1, amountMinor: 15_000_000 },
      differences: [
        {
          dealId: '102',
          reason: 'unmapped',
          detail: 'CRM user 9 is mapped to no participant',
          crmUserId: '9',
          participantId: null,
          wonAt: '2026-03-05T15:00:00.000Z',
          amountMinor: 8_000_000,
          currency: 'RUB',
        },
        {
          dealId: '103',
          reason: 'currency',
          detail: 'the deal is in USD, the integration counts RUB',
          crmUserId: '8',
          participantId: null,
          wonAt: '2026-03-05T15:00:00.000Z',
          amountMinor: 250_000,
          currency: 'USD',
        },
      ],
    });
  });

  it('names a read that failed, a win dated outside the period and an uncounted pipeline', async () => {
    // Deal 104 is gone from the portal when Podium reads it (the portal answers "Not found" with
    // an empty code): its read fails on its own, the deals read along with it do not.
    expect((await world.postForm(webhookUrl, dealEvent('104'))).status).toBe(200);
    await report(
      wonDeal('105', {
        MOVED_TIME: '2026-02-27T12:00:00+03:00',
        CLOSEDATE: '2026-02-27T12:00:00+03:00',
      }),
      wonDeal('106', { OPPORTUNITY: '30000.00', CATEGORY_ID: '4' }),
    );
    const answer = await reconciliation();
    const reasons = (answer.body.differences as { dealId: string; reason: string }[]).map(
      (difference) => [difference.dealId, difference.reason],
    );
    expect(reasons).toEqual([
      ['105', 'outsidePeriod'],
      ['102', 'unmapped'],
      ['103', 'currency'],
      ['106', 'outsidePipeline'],
      ['104', 'failedRead'],
    ]);
    // 106 is won in the CRM (another pipeline): on the CRM's side, not on Podium's.
    expect(answer.body).toMatchObject({
      crm: { count: 4, amountMinor: 26_000_000 },
      podium: { count: 1, amountMinor: 15_000_000 },
    });
    const failed = (answer.body.differences as { dealId: string; detail: string }[]).find(
      (difference) => difference.dealId === '104',
    );
    expect(failed?.detail).toContain('Not found');
  });

  it('answers managers, refuses sellers, names a bad contest id and refuses a non-CRM integration', async () => {
    for (const [email, role] of [
      ['manager@recon.test', 'manager'],
      ['seller@recon.test', 'seller'],
    ] as const) {
      await world.admin('POST', '/api/users', {
        email,
        password: 'reconciliation-password',
        role,
        participantId: role === 'seller' ? 'anna' : null,
      });
    }
    const path = `/api/integrations/${id}/reconciliation?contestId=${world.contestId}`;
    const as = async (email: string) =>
      (
        await api(world.sut.url, 'GET', path, {
          token: await login(world.sut.url, { email, password: 'reconciliation-password' }),
        })
      ).status;
    expect(await as('manager@recon.test')).toBe(200);
    expect(await as('seller@recon.test')).toBe(403);
    const bad = await world.admin('GET', `/api/integrations/${id}/reconciliation?contestId=march`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      expect.objectContaining({ path: 'contestId', message: 'must be a contest id (UUID)' }),
    ]);
    const missing = await world.admin('GET', `/api/integrations/${id}/reconciliation`);
    expect(missing.status).toBe(400);
    const signed = await world.admin('POST', '/api/integrations', { kind: 'webhook', name: '1C' });
    const notCrm = await world.admin(
      'GET',
      `/api/integrations/${signed.body.id as string}/reconciliation?contestId=${world.contestId}`,
    );
    expect(notCrm).toMatchObject({ status: 409, body: { code: 'kind' } });
  });
});
