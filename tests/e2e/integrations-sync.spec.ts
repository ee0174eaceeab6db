import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  connectPortal,
  dealEvent,
  expectedPoints,
  listedDeal,
  standings,
  USERS,
  whileStopped,
} from '../support/bitrix24-sync.js';
import { CrmWorld } from '../support/crm.js';
import { FakeBitrix24, PORTAL_ERRORS, type FakeDeal } from '../support/fake-bitrix24.js';

/** The moment `minutes` after 2026-03-02 09:00 Moscow time, as Bitrix24 writes it. */
function at(minutes: number): string {
  const moment = new Date(Date.parse('2026-03-02T06:00:00Z') + minutes * 60_000);
  return `${new Date(moment.getTime() + 3 * 3_600_000).toISOString().slice(0, 19)}+03:00`;
}
const iso = (bitrix: string) => new Date(bitrix).toISOString();

describe('Bitrix24 pull sync', () => {
  // The fake portal listens on 127.0.0.1: a private address Podium refuses unless told.
  const world = new CrmWorld({ allowPrivateCrm: true });
  const portal = new FakeBitrix24();
  let id: string;
  let webhookUrl: string;

  const sync = () => world.admin('POST', `/api/integrations/${id}/sync`);
  const status = async () =>
    (await world.admin('GET', `/api/integrations/${id}`)).body.sync as Record<string, unknown>;
  const put = (deal: FakeDeal) => portal.deals.set(deal.ID, deal);
  const listCalls = () => portal.calls.filter((call) => call.path.endsWith('crm.deal.list.json'));
  const events = async (prefix = 'deal-') =>
    (
      await world.rows(
        `SELECT external_id, type, occurred_at FROM events
          WHERE source = 'bitrix24' AND external_id LIKE $1 ORDER BY external_id`,
        [`${prefix}%`],
      )
    ).map((row) => ({
      externalId: row.external_id as string,
      type: row.type as string,
      occurredAt: (row.occurred_at as Date).toISOString(),
    }));

  beforeAll(async () => {
    await portal.start();
    await world.start();
    ({ id, webhookUrl } = await connectPortal(world, portal.webhookUrl));
  });

  afterAll(async () => {
    await world.stop();
    await portal.stop();
  });

  it('counts the deals won while Podium was stopped once each, at the moment each was won', async () => {
    // 20 won deals and 40 in progress: two pages of crm.deal.list. Deals 101–104 were saved in
    // the same second (one bulk change).
    await whileStopped(world, () => {
      for (let n = 0; n < 20; n += 1) {
        const wonAt = at(n * 400);
        const user = n % 3 === 0 ? USERS.boris : USERS.anna;
        const modifiedAt = n < 4 ? at(3) : at(n * 400 + 5);
        const amount = (150_000 + n * 12_345).toFixed(2);
        put(listedDeal(101 + n, { user, amount, wonAt, modifiedAt }));
      }
      for (let n = 0; n < 40; n += 1) {
        put(listedDeal(201 + n, { user: USERS.anna, amount: '90000.00', modifiedAt: at(n * 190) }));
      }
    });
    const before = listCalls().length;
    const first = await sync();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'ok', read: 60, applied: 60, failures: [] });
    expect(first.body.cursor).toEqual({ modifiedSince: iso(at(19 * 400 + 5)) });
    const calls = listCalls().slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.body).toMatchObject({ order: { DATE_MODIFY: 'ASC', ID: 'ASC' }, start: 0 });
    expect(calls[0]?.body?.select).toEqual(expect.arrayContaining(['ID', 'MOVED_TIME']));
    expect(Object.keys(calls[0]?.body?.filter as object)).toEqual(['>=DATE_MODIFY']);

    const sales = await events();
    expect(sales).toHaveLength(20);
    for (const deal of [...portal.deals.values()].filter((one) => one.STAGE_SEMANTIC_ID === 'S')) {
      expect(sales).toContainEqual({
        externalId: `deal-${deal.ID}`,
        type: 'sale',
        occurredAt: iso(deal.MOVED_TIME as string),
      });
    }
    expect(await standings(world)).toEqual(await expectedPoints(world, [...portal.deals.values()]));
    expect(await status()).toMatchObject({
      outcome: 'ok',
      error: null,
      consecutiveFailures: 0,
      read: 60,
      applied: 60,
      intervalMinutes: 5,
      lastStartedAt: world.clock.now().toISOString(),
      nextDueAt: new Date(world.clock.now().getTime() + 5 * 60_000).toISOString(),
    });
  });

  it('changes nothing on a second sync', async () => {
    const points = await standings(world);
    const again = await sync();
    expect(again.body).toMatchObject({ outcome: 'ok', failures: [] });
    // It reads from the cursor less a minute of overlap: the deals there change nothing.
    const overlap = new Date(Date.parse(at(19 * 400 + 5)) - 60_000).toISOString().slice(0, 19);
    expect(listCalls().at(-1)?.body?.filter).toEqual({ '>DATE_MODIFY': `${overlap}+00:00` });
    expect(await events()).toHaveLength(20);
    expect(await standings(world)).toEqual(points);
  });

  it('counts a deal once when both a webhook and a sync report it', async () => {
    put(
      listedDeal(130, {
        user: USERS.boris,
        amount: '300000.00',
        wonAt: at(9_000),
        modifiedAt: at(9_001),
      }),
    );
    put(
      listedDeal(131, {
        user: USERS.anna,
        amount: '120000.00',
        wonAt: at(9_010),
        modifiedAt: at(9_011),
      }),
    );
    // 130: the sync first, then Bitrix24's late event; 131: the event first, then the sync.
    expect((await sync()).body).toMatchObject({ outcome: 'ok' });
    // The restarted API listens on another port; the path (with its secret) is the same.
    const url = `${world.sut.url}${new URL(webhookUrl).pathname}`;
    for (const deal of ['130', '131']) {
      expect((await world.postForm(url, dealEvent(deal))).status).toBe(200);
    }
    await world.eventually(
      async () => {
        world.clock.set(new Date(world.clock.now().getTime() + 5_000).toISOString());
        return (await world.admin('GET', `/api/integrations/${id}/held`)).body.pendingFetches;
      },
      (pending) => pending === 0,
    );
    expect((await sync()).body).toMatchObject({ outcome: 'ok' });
    expect(await events('deal-13')).toEqual([
      { externalId: 'deal-130', type: 'sale', occurredAt: iso(at(9_000)) },
      { externalId: 'deal-131', type: 'sale', occurredAt: iso(at(9_010)) },
    ]);
    expect(await standings(world)).toEqual(await expectedPoints(world, [...portal.deals.values()]));
  });

  it('fails with a failing portal, keeps the cursor, counts the failures, then catches up', async () => {
    const { cursor } = (await sync()).body;
    // 55 deals changed (two pages), the last three won; the portal refuses the second page.
    for (let n = 0; n < 55; n += 1) {
      const won = n >= 52 ? { wonAt: at(10_000 + n) } : {};
      put(
        listedDeal(301 + n, {
          user: USERS.anna,
          amount: '50000.00',
          modifiedAt: at(10_000 + n),
          ...won,
        }),
      );
    }
    // The second page's method is blocked for minutes (not retried within the sync: a
    // QUERY_LIMIT_EXCEEDED would be, and heal).
    portal.script.push({ kind: 'pass' }, { kind: 'error', ...PORTAL_ERRORS.operationTime });
    const failed = await sync();
    expect(failed.status).toBe(200);
    // The first page: deal 131 again (within the overlap of the cursor) and 49 of the 55.
    expect(failed.body).toMatchObject({ outcome: 'failed', read: 50, applied: 50 });
    expect(failed.body.error).toContain('OPERATION_TIME_LIMIT');
    expect(String(failed.body.error)).not.toContain(portal.code);
    // The first page was applied with its cursor; the next sync resumes from there.
    expect(failed.body.cursor).toEqual({ modifiedSince: iso(at(10_048)) });
    expect(failed.body.cursor).not.toEqual(cursor);
    expect(await events('deal-35')).toEqual([]);

    // Twice more with the inbound webhook's token refused: three failures in a row raise the alert.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      portal.script.push({ kind: 'error', ...PORTAL_ERRORS.expiredToken });
      expect((await sync()).body).toMatchObject({ outcome: 'failed', read: 0, applied: 0 });
    }
    expect(await status()).toMatchObject({ outcome: 'failed', consecutiveFailures: 3 });
    const alerts = await world.admin('GET', '/api/integrations/sync-alerts');
    expect(alerts.body).toEqual([
      expect.objectContaining({ integrationId: id, consecutiveFailures: 3 }),
    ]);

    const caughtUp = await sync();
    expect(caughtUp.body).toMatchObject({ outcome: 'ok', failures: [] });
    expect(caughtUp.body.cursor).toEqual({ modifiedSince: iso(at(10_054)) });
    expect((await events('deal-35')).map((sale) => sale.externalId)).toEqual([
      'deal-353',
      'deal-354',
      'deal-355',
    ]);
    expect(await status()).toMatchObject({ outcome: 'ok', consecutiveFailures: 0 });
    expect((await world.admin('GET', '/api/integrations/sync-alerts')).body).toEqual([]);
    expect(await standings(world)).toEqual(await expectedPoints(world, [...portal.deals.values()]));
  });

  it('reads a bulk change of more than a page saved in one second, each deal once', async () => {
    // 70 deals saved at one moment: the second page is asked from that moment, after the 50 read.
    const moment = at(10_500);
    for (let n = 0; n < 70; n += 1) {
      put(listedDeal(401 + n, { user: USERS.boris, amount: '10000.00', modifiedAt: moment }));
    }
    put(
      listedDeal(471, {
        user: USERS.boris,
        amount: '20000.00',
        wonAt: at(10_501),
        modifiedAt: at(10_501),
      }),
    );
    const before = listCalls().length;
    const bulk = await sync();
    // Deal 355 again (the overlap), the 70, and the won one.
    expect(bulk.body).toMatchObject({ outcome: 'ok', read: 72, applied: 72 });
    const pages = listCalls()
      .slice(before)
      .map((call) => [call.body?.filter, call.body?.start]);
    expect(pages[1]).toEqual([{ '>=DATE_MODIFY': moment }, 50 - 1]);
    expect(pages).toHaveLength(2);
    expect(await events('deal-471')).toHaveLength(1);
    expect(bulk.body.cursor).toEqual({ modifiedSince: iso(at(10_501)) });
  });

  it('misses no deal when one already read is changed while the next page is asked', async () => {
    // 60 won deals; as the second page is asked, someone edits deal 601 (read on the first page):
    // it moves to the end of the order, and every deal behind it one place forward.
    for (let n = 0; n < 60; n += 1) {
      const time = at(10_600 + n);
      put(
        listedDeal(601 + n, { user: USERS.anna, amount: '1000.00', wonAt: time, modifiedAt: time }),
      );
    }
    let lists = 0;
    portal.onCall = (call) => {
      if (!call.path.endsWith('crm.deal.list.json') || ++lists !== 2) return;
      const edited = portal.deals.get('601') as FakeDeal;
      put({ ...edited, TITLE: 'Deal #601 (renamed)', DATE_MODIFY: at(10_700) });
    };
    const edited = await sync();
    portal.onCall = null;
    expect(edited.body).toMatchObject({ outcome: 'ok', failures: [] });
    const counted = (await events('deal-6')).filter((sale) => /^deal-6\d\d$/.test(sale.externalId));
    expect(counted).toHaveLength(60);
    expect(edited.body.cursor).toEqual({ modifiedSince: iso(at(10_700)) });
  });

  it('reverses the sale of a deal moved to a category that is not counted', async () => {
    const deal = portal.deals.get('105') as FakeDeal;
    put({ ...deal, CATEGORY_ID: '2', STAGE_ID: 'C2:WON', DATE_MODIFY: at(11_000) });
    // Read: deal 105, and deal 355 again (the overlap).
    expect((await sync()).body).toMatchObject({ outcome: 'ok', read: 2, applied: 2 });
    expect(await events('deal-105')).toEqual([
      { externalId: 'deal-105', type: 'sale', occurredAt: iso(deal.MOVED_TIME as string) },
      { externalId: 'deal-105/reversal', type: 'reversal', occurredAt: iso(at(11_000)) },
    ]);
    expect(await standings(world)).toEqual(await expectedPoints(world, [...portal.deals.values()]));
  });
});
