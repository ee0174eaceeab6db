import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AmocrmClients } from '../../apps/api/src/integrations/crm/amocrm-leads.js';
import { amocrmSettingsOf } from '../../apps/api/src/integrations/crm-context.js';
import { IntegrationsRepository } from '../../apps/api/src/integrations/integrations.repository.js';
import { AmocrmPuller } from '../../apps/api/src/integrations/sync/amocrm-puller.js';
import type { PulledPage, SyncCursor } from '../../apps/api/src/integrations/sync/crm-puller.js';
import { CrmWorld } from '../support/crm.js';
import { FakeAmocrm, LOST, WON } from '../support/fake-amocrm.js';

const at = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const IN_PROGRESS = 7039101;
const FROM = new Date('2026-03-01T00:00:00Z');
/** Leads that never left the first stage, enough for a second page of 250. */
const FILLERS = 257;

/**
 * The amoCRM puller against a local account (tests/support/fake-amocrm.ts): the observations and
 * cursors it yields, a resumed pull, an account that ignores the filter, 429s and a refused token.
 */
describe('amoCRM puller', () => {
  const fake = new FakeAmocrm();
  const world = new CrmWorld({ allowPrivateCrm: true });
  let puller: AmocrmPuller;
  let integrations = 0;

  const integration = async (token: string) => {
    integrations += 1;
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: `amoCRM ${integrations}`,
      settings: {
        marginRate: 0.25,
        source: `amocrm-${integrations}`,
        baseUrl: fake.url,
        accessToken: token,
      },
    });
    expect(created.status).toBe(201);
    const record = await world.sut.app.get(IntegrationsRepository).find(created.body.id as string);
    if (!record) throw new Error('no integration');
    return record;
  };

  const pull = async (token: string, since: SyncCursor | null) => {
    const pages: PulledPage[] = [];
    const record = await integration(token);
    for await (const page of puller.pages(record, since, FROM, new AbortController().signal)) {
      pages.push(page);
    }
    return pages;
  };
  const observed = (pages: PulledPage[]) => pages.flatMap((page) => page.observations);

  beforeAll(async () => {
    await fake.start();
    await world.start();
    puller = world.sut.app.get(AmocrmPuller);
    for (let index = 0; index < FILLERS; index += 1) {
      fake.create({ id: 80000 + index, at: at('2026-03-01T06:00:00Z') + index, price: 100 });
    }
    // Won on 3 March, its amount edited on 20 March: the sale is dated 3 March.
    fake.create({
      id: 71001,
      at: at('2026-03-02T10:00:00Z'),
      price: 40_000,
      status_id: IN_PROGRESS,
    });
    fake.edit(71001, at('2026-03-03T10:00:00Z'), { status_id: WON });
    fake.edit(71001, at('2026-03-20T10:00:00Z'), { price: 48_000 });
    // Lost.
    fake.create({
      id: 71002,
      at: at('2026-03-02T11:00:00Z'),
      price: 10_000,
      status_id: IN_PROGRESS,
    });
    fake.edit(71002, at('2026-03-04T11:00:00Z'), { status_id: LOST });
    // Created already won (an import): no status change, amoCRM's closed_at dates it.
    fake.create({
      id: 71003,
      at: at('2026-03-06T09:00:00Z'),
      price: 12_345,
      responsible_user_id: 5502,
      status_id: WON,
      closed_at: at('2026-03-05T18:00:00Z'),
    });
  });

  afterAll(async () => {
    await world.stop();
    await fake.stop();
  });

  it('reads every lead changed since the start in pages, dating won leads when they were won', async () => {
    const pages = await pull(fake.token, null);
    expect(pages).toHaveLength(2);
    expect(pages[0]?.observations).toHaveLength(250);
    expect(pages.map((page) => page.cursor)).toEqual([
      // The 250th oldest change: the fillers are 1 s apart from 06:00:00.
      { modifiedSince: '2026-03-01T06:04:09.000Z' },
      { modifiedSince: '2026-03-20T10:00:00.000Z' },
    ]);
    const won = observed(pages).filter((observation) => observation.won);
    expect(won).toEqual([
      expect.objectContaining({
        dealId: '71003',
        crmUserId: '5502',
        amountMinor: 1_234_500,
        marginMinor: 308_625,
        occurredAt: '2026-03-05T18:00:00.000Z',
        modifiedAt: '2026-03-06T09:00:00.000Z',
      }),
      expect.objectContaining({
        dealId: '71001',
        crmUserId: '5501',
        amountMinor: 4_800_000,
        marginMinor: 1_200_000,
        occurredAt: '2026-03-03T10:00:00.000Z',
        modifiedAt: '2026-03-20T10:00:00.000Z',
      }),
    ]);
    expect(observed(pages).find((observation) => observation.dealId === '71002')).toMatchObject({
      won: false,
    });
    expect(pages.flatMap((page) => page.failures)).toEqual([]);
    // The filter and the order amoCRM documents, then the status changes of the won leads.
    expect(fake.requests).toEqual(
      expect.arrayContaining([
        `/api/v4/leads?limit=250&page=1&order%5Bupdated_at%5D=asc&filter%5Bupdated_at%5D%5Bfrom%5D=${at('2026-03-01T00:00:00Z')}`,
        expect.stringMatching(
          /^\/api\/v4\/events\?.*filter%5Bentity_id%5D%5B%5D=71003&filter%5Bentity_id%5D%5B%5D=71001/,
        ),
      ]),
    );
  });

  it('resumes from a cursor, reading only what changed since', async () => {
    const pages = await pull(fake.token, { modifiedSince: '2026-03-05T00:00:00Z' });
    expect(observed(pages).map((observation) => observation.dealId)).toEqual(['71003', '71001']);
    expect(pages.at(-1)?.cursor).toEqual({ modifiedSince: '2026-03-20T10:00:00.000Z' });
  });

  it('reads newest first back to the cursor where the account ignores the filter', async () => {
    fake.filterUpdatedAt = false;
    try {
      fake.requests.length = 0;
      const pages = await pull(fake.token, { modifiedSince: '2026-03-05T00:00:00Z' });
      expect(observed(pages).map((observation) => observation.dealId)).toEqual(['71003', '71001']);
      expect(pages.at(-1)?.cursor).toEqual({ modifiedSince: '2026-03-20T10:00:00.000Z' });
      expect(fake.requests).toContain('/api/v4/leads?limit=250&page=1&order%5Bupdated_at%5D=desc');
      // One page back reached leads older than the cursor: the second is never asked for.
      expect(fake.requests.filter((request) => request.includes('desc'))).toHaveLength(1);
    } finally {
      fake.filterUpdatedAt = true;
    }
  });

  it('waits and tries again when amoCRM answers 429', async () => {
    fake.requests.length = 0;
    fake.throttleNext = 3;
    const pages = await pull(fake.token, { modifiedSince: '2026-03-05T00:00:00Z' });
    expect(fake.throttleNext).toBe(0);
    expect(observed(pages).map((observation) => observation.dealId)).toEqual(['71003', '71001']);
    // Three refused, then the leads and the status changes.
    expect(fake.requests.filter((request) => request.startsWith('/api/v4/leads?'))).toHaveLength(4);
  });

  it('keeps an account under its 7 requests a second, however many calls wait', async () => {
    const record = await integration(fake.token);
    const api = world.sut.app.get(AmocrmClients).api(record, amocrmSettingsOf(record));
    if (api === null) throw new Error('no API');
    fake.requests.length = 0;
    fake.overLimit = 0;
    const ids = [71001, 71002, 71003, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80007];
    const leads = await Promise.all([...ids, ...ids].map((lead) => api.lead(String(lead))));
    expect(leads.map((lead) => lead?.id)).toEqual([...ids, ...ids]);
    expect(fake.requests).toHaveLength(22);
    expect(fake.overLimit).toBe(0);
  });

  it('stops with amoCRM’s own words on a refused token, without retrying it', async () => {
    fake.requests.length = 0;
    await expect(pull('an-unknown-long-lived-token-000000', null)).rejects.toThrow(
      'amoCRM answered 401 Unauthorized: Unauthorized',
    );
    expect(fake.requests).toHaveLength(1);
  });
});
