import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  evaluate,
  parseContestEvent,
  parseContestFile,
  type ContestEvent,
} from '@podium/contest-model';
import { APPLICATION_TOKEN } from '../support/bitrix24-sync.js';
import { CrmWorld, form } from '../support/crm.js';
import { FakeAmocrm, LOST, PRODUCTS_CATALOG, WON } from '../support/fake-amocrm.js';
import {
  crmLead,
  FakeBitrix24,
  productRow,
  wonDeal,
  type FakeDeal,
} from '../support/fake-bitrix24.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

/** amoCRM's clock: Unix seconds of an ISO instant. */
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const BITRIX_USERS = { anna: '7', boris: '8' } as const;
const AMO_USERS = { anna: 5501, boris: 5502 } as const;

interface StoredEvent {
  readonly type: string;
  readonly source: string;
  readonly externalId: string;
  readonly participantId: string;
  readonly occurredAt: string;
  readonly amountMinor: number | null;
  readonly marginMinor: number | null;
  readonly clientId: string | null;
  readonly isNewClient: boolean | null;
  readonly product: string | null;
  readonly quantity: number | null;
}

/**
 * Leads, new clients and product rows read from amoCRM and Bitrix24 (local stand-ins speaking
 * their APIs, tests/support/fake-amocrm.ts and fake-bitrix24.ts), through the pull sync and the
 * webhooks, fed into a contest scored on conversion, new clients and one product's turnover:
 * the standings give every participant what `evaluate` gives for the events the connectors
 * stored, and for the events the CRMs' data says there are.
 */
describe('CRM leads, new clients and product rows', () => {
  const portal = new FakeBitrix24();
  const amo = new FakeAmocrm();
  const world = new CrmWorld({ allowPrivateCrm: true });
  let contestId: string;
  let bitrixId: string;
  let bitrixWebhook: string;
  let amoId: string;
  let amoWebhook: string;

  /** The stored events (their payload is the event as ingested), by source and externalId. */
  const stored = async (source?: string): Promise<Record<string, unknown>[]> =>
    (
      await world.rows(
        `SELECT payload FROM events WHERE ($1::text IS NULL OR source = $1)
          ORDER BY source, external_id`,
        [source ?? null],
      )
    ).map((row) => row.payload as Record<string, unknown>);

  const events = async (source?: string): Promise<StoredEvent[]> =>
    (await stored(source)).map((payload) => ({
      type: payload.type as string,
      source: payload.source as string,
      externalId: payload.externalId as string,
      participantId: payload.participantId as string,
      occurredAt: new Date(payload.occurredAt as string).toISOString(),
      amountMinor: (payload.amountMinor as number | undefined) ?? null,
      marginMinor: (payload.marginMinor as number | undefined) ?? null,
      clientId: (payload.clientId as string | undefined) ?? null,
      isNewClient: (payload.isNewClient as boolean | undefined) ?? null,
      product: (payload.product as string | undefined) ?? null,
      quantity: (payload.quantity as number | undefined) ?? null,
    }));

  /** `evaluate` of the contest's frozen file with exactly `given` as its events. */
  const evaluated = async (given: readonly Record<string, unknown>[]) => {
    const [row] = await world.rows('SELECT frozen_file FROM contests WHERE id = $1', [contestId]);
    const file = parseContestFile(row?.frozen_file);
    if (!file.success) throw new Error('the frozen contest file does not parse');
    const parsed: ContestEvent[] = given.map((event) => {
      const one = parseContestEvent(event);
      if (!one.success) throw new Error(`${JSON.stringify(event)}: ${JSON.stringify(one.issues)}`);
      return one.data;
    });
    return Object.fromEntries(
      evaluate({ ...file.data, events: parsed }).standings.map((one) => [
        one.participantId,
        { points: one.points, rank: one.rank },
      ]),
    );
  };

  const standings = async () => {
    const answer = await world.admin('GET', `/api/contests/${contestId}/standings`);
    expect(answer.status).toBe(200);
    const rows = answer.body.standings as { participantId: string; points: number; rank: number }[];
    return Object.fromEntries(
      rows.map((row) => [row.participantId, { points: row.points, rank: row.rank }]),
    );
  };

  beforeAll(async () => {
    await portal.start();
    await amo.start();
    await world.start();
    const created = await world.admin('POST', '/api/contests', {
      name: 'March conversion',
      currency: 'RUB',
      period: { start: '2026-03-01', end: '2026-04-01' },
      funding: { fundShare: 0.4, guaranteedMinor: 0, capMinor: null, mode: 'unlockInOrder' },
      prizes: [{ place: 1, title: 'Trip', costMinor: 1_000_000 }],
      criteria: [
        { metric: 'conversion', basis: 'absolute', unit: 10, weight: 1 },
        { metric: 'newClients', basis: 'absolute', unit: 1, weight: 2 },
        { metric: 'productTurnover', product: 'X', basis: 'absolute', unit: 1_000_000, weight: 1 },
      ],
      participants: [
        {
          id: 'anna',
          name: 'Anna',
          team: 'North',
          role: 'hunter',
          plan: { turnoverMinor: 100_000_00, marginMinor: 20_000_00, newClients: 1 },
        },
        {
          id: 'boris',
          name: 'Boris',
          team: 'North',
          role: 'farmer',
          plan: { turnoverMinor: 100_000_00, marginMinor: 20_000_00, newClients: 1 },
        },
      ],
    });
    if (created.status !== 201) throw new Error(`contest: ${JSON.stringify(created.body)}`);
    contestId = created.body.id as string;
    const launched = await world.admin('POST', `/api/contests/${contestId}/launch`, {
      ...LAUNCH_PAST_GATE,
    });
    expect(launched.body.state).toBe('live');

    const bitrix = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 acme',
      settings: {
        marginRate: 0.2,
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        timeoutMs: 5_000,
        pipelineIds: [0],
        leads: 'deals',
        newClients: true,
        productRows: 'perRow',
      },
    });
    expect(bitrix.status).toBe(201);
    bitrixId = bitrix.body.id as string;
    bitrixWebhook = bitrix.body.webhookUrl as string;
    const amocrm = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM acme',
      settings: {
        marginRate: 0.2,
        baseUrl: amo.url,
        accessToken: amo.token,
        leads: true,
        newClients: true,
        productRows: 'main',
      },
    });
    expect(amocrm.status).toBe(201);
    amoId = amocrm.body.id as string;
    amoWebhook = amocrm.body.webhookUrl as string;
    for (const [integration, users] of [
      [bitrixId, BITRIX_USERS],
      [amoId, AMO_USERS],
    ] as const) {
      const mapped = await world.admin('PUT', `/api/integrations/${integration}/mappings`, {
        [users.anna]: 'anna',
        [users.boris]: 'boris',
      });
      expect(mapped.status).toBe(200);
    }
  });

  afterAll(async () => {
    await world.stop();
    await amo.stop();
    await portal.stop();
  });

  it('refuses the switches with what they take, naming the field, and writes nothing', async () => {
    const before = await world.rows('SELECT count(*)::int AS n FROM integrations');
    const bad = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 bad',
      settings: {
        marginRate: 0.2,
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        leads: 'both',
        productRows: 'each',
      },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['settings.leads', 'settings.productRows']));
    // amoCRM's webhooks carry no clients nor products: the API is required for them.
    const noApi = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM bad',
      settings: { marginRate: 0.2, newClients: true },
    });
    expect(noApi.status).toBe(400);
    expect(noApi.body.issues).toEqual([
      expect.objectContaining({
        path: 'settings.newClients',
        message: expect.stringContaining('give baseUrl and accessToken'),
      }),
    ]);
    expect(await world.rows('SELECT count(*)::int AS n FROM integrations')).toEqual(before);
  });

  it('Bitrix24: a lead per deal created in a counted category, clients read from the CRM, one sale per product row', async () => {
    // An earlier won deal of company 55 (February, not read by the sync: before the contests).
    portal.deals.set(
      '90',
      wonDeal('90', {
        COMPANY_ID: '55',
        MOVED_TIME: '2026-02-10T12:00:00+03:00',
        CLOSEDATE: '2026-02-10T12:00:00+03:00',
        DATE_CREATE: '2026-02-01T12:00:00+03:00',
        DATE_MODIFY: '2026-02-10T12:00:00+03:00',
      }),
    );
    portal.deals.set(
      '101',
      wonDeal('101', {
        ASSIGNED_BY_ID: BITRIX_USERS.anna,
        OPPORTUNITY: '25000.00',
        COMPANY_ID: '55',
        CONTACT_ID: '78',
        DATE_CREATE: '2026-03-02T10:00:00+03:00',
        MOVED_TIME: '2026-03-05T18:00:00+03:00',
        DATE_MODIFY: '2026-03-05T18:05:00+03:00',
      }),
    );
    portal.productRows.set('101', [
      productRow('101', 'X', 10_000, 2),
      productRow('101', 'Y', 5_000, 1),
    ]);
    portal.deals.set(
      '102',
      wonDeal('102', {
        ASSIGNED_BY_ID: BITRIX_USERS.anna,
        OPPORTUNITY: '30000.00',
        CONTACT_ID: '77',
        DATE_CREATE: '2026-03-03T10:00:00+03:00',
        MOVED_TIME: '2026-03-06T12:00:00+03:00',
        DATE_MODIFY: '2026-03-06T12:05:00+03:00',
      }),
    );
    portal.productRows.set('102', [productRow('102', 'X', 30_000, 1)]);
    portal.deals.set(
      '103',
      wonDeal('103', {
        ASSIGNED_BY_ID: BITRIX_USERS.boris,
        STAGE_ID: 'PREPARATION',
        STAGE_SEMANTIC_ID: 'P',
        OPPORTUNITY: '9000.00',
        DATE_CREATE: '2026-03-04T09:00:00+03:00',
        MOVED_TIME: '2026-03-04T09:00:00+03:00',
        CLOSEDATE: '2026-03-11T09:00:00+03:00',
        DATE_MODIFY: '2026-03-04T09:00:00+03:00',
      }),
    );
    portal.deals.set(
      '104',
      wonDeal('104', {
        ASSIGNED_BY_ID: BITRIX_USERS.boris,
        OPPORTUNITY: '12000.00',
        COMPANY_ID: '56',
        DATE_CREATE: '2026-03-04T11:00:00+03:00',
        MOVED_TIME: '2026-03-07T15:00:00+03:00',
        DATE_MODIFY: '2026-03-07T15:05:00+03:00',
      }),
    );
    // Another funnel: neither a lead nor a sale.
    portal.deals.set(
      '105',
      wonDeal('105', {
        ASSIGNED_BY_ID: BITRIX_USERS.boris,
        CATEGORY_ID: '1',
        COMPANY_ID: '57',
        DATE_CREATE: '2026-03-04T12:00:00+03:00',
        DATE_MODIFY: '2026-03-07T16:05:00+03:00',
      }),
    );
    portal.productRows.set('105', [productRow('105', 'X', 100_000, 1)]);

    const run = await world.admin('POST', `/api/integrations/${bitrixId}/sync`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ outcome: 'ok', failures: [] });
    const at = (text: string) => new Date(text).toISOString();
    const sales = { type: 'sale', source: 'bitrix24' } as const;
    expect(await events('bitrix24')).toEqual([
      expect.objectContaining({
        ...sales,
        externalId: 'deal-101#1',
        participantId: 'anna',
        occurredAt: at('2026-03-05T18:00:00+03:00'),
        amountMinor: 2_000_000,
        marginMinor: 400_000,
        clientId: 'company-55',
        isNewClient: false,
        product: 'X',
        quantity: 2,
      }),
      expect.objectContaining({
        ...sales,
        externalId: 'deal-101#2',
        amountMinor: 500_000,
        marginMinor: 100_000,
        clientId: 'company-55',
        isNewClient: false,
        product: 'Y',
        quantity: 1,
      }),
      expect.objectContaining({
        type: 'lead',
        externalId: 'deal-101/lead',
        participantId: 'anna',
        occurredAt: at('2026-03-02T10:00:00+03:00'),
      }),
      expect.objectContaining({
        ...sales,
        externalId: 'deal-102',
        participantId: 'anna',
        amountMinor: 3_000_000,
        clientId: 'contact-77',
        isNewClient: true,
        product: 'X',
        quantity: 1,
      }),
      expect.objectContaining({ type: 'lead', externalId: 'deal-102/lead' }),
      expect.objectContaining({
        type: 'lead',
        externalId: 'deal-103/lead',
        participantId: 'boris',
        occurredAt: at('2026-03-04T09:00:00+03:00'),
      }),
      expect.objectContaining({
        ...sales,
        externalId: 'deal-104',
        participantId: 'boris',
        amountMinor: 1_200_000,
        clientId: 'company-56',
        isNewClient: true,
      }),
      expect.objectContaining({ type: 'lead', externalId: 'deal-104/lead' }),
    ]);
    // The rows and the clients' won deals were read in batches, through the portal's pace.
    const batched = portal.calls.filter((call) => call.method === 'batch');
    expect(batched.length).toBeGreaterThan(0);
    expect(portal.calls.filter((call) => call.method === 'crm.deal.productrows.get')).toEqual([]);
    expect(portal.limitRefusals).toBe(0);
  });

  it('amoCRM: a lead per lead created in a counted pipeline, its company or main contact as the client, its catalog elements as the product', async () => {
    amo.product(701, 'X', 1_000);
    amo.product(702, 'Y', 500);
    amo.product(703, 'Y', 2_000);
    // Company 3001's earlier won lead (January): not read by the sync, found through the company.
    amo.create({
      id: 8001,
      at: unix('2026-01-10T09:00:00Z'),
      price: 100,
      responsible_user_id: AMO_USERS.anna,
    });
    amo.edit(8001, unix('2026-01-20T09:00:00Z'), { status_id: WON });
    amo.leadCompany.set(8001, 3001);

    const won = new Map<number, number>();
    amo.create({
      id: 9001,
      at: unix('2026-03-02T07:00:00Z'),
      price: 3_500,
      responsible_user_id: AMO_USERS.anna,
    });
    amo.leadCompany.set(9001, 3001);
    amo.leadContacts.set(9001, [{ id: 4002, is_main: true }]);
    amo.leadElements.set(9001, [
      { id: 701, catalog_id: PRODUCTS_CATALOG, quantity: 3 },
      { id: 702, catalog_id: PRODUCTS_CATALOG, quantity: 1 },
    ]);
    amo.edit(9001, unix('2026-03-05T10:00:00Z'), { status_id: WON });
    won.set(9001, unix('2026-03-05T10:00:00Z'));
    amo.create({
      id: 9002,
      at: unix('2026-03-03T07:00:00Z'),
      price: 4_000,
      responsible_user_id: AMO_USERS.boris,
    });
    amo.leadContacts.set(9002, [
      { id: 4003, is_main: false },
      { id: 4001, is_main: true },
    ]);
    amo.leadElements.set(9002, [{ id: 703, catalog_id: PRODUCTS_CATALOG, quantity: 2 }]);
    amo.edit(9002, unix('2026-03-06T10:00:00Z'), { status_id: WON });
    won.set(9002, unix('2026-03-06T10:00:00Z'));
    amo.create({
      id: 9003,
      at: unix('2026-03-04T07:00:00Z'),
      price: 800,
      responsible_user_id: AMO_USERS.anna,
    });
    amo.create({
      id: 9004,
      at: unix('2026-03-04T08:00:00Z'),
      price: 900,
      responsible_user_id: AMO_USERS.boris,
    });
    amo.edit(9004, unix('2026-03-05T08:00:00Z'), { status_id: LOST });

    const run = await world.admin('POST', `/api/integrations/${amoId}/sync`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ outcome: 'ok', failures: [] });
    const stored = await events('amocrm');
    expect(stored).toEqual([
      expect.objectContaining({
        type: 'sale',
        externalId: 'lead-9001',
        participantId: 'anna',
        occurredAt: iso(won.get(9001) as number),
        amountMinor: 350_000,
        marginMinor: 70_000,
        clientId: 'company-3001',
        isNewClient: false,
        // The largest row: 3 × X at 1,000.00 against 1 × Y at 500.00.
        product: 'X',
        quantity: 3,
      }),
      expect.objectContaining({
        type: 'lead',
        externalId: 'lead-9001/lead',
        participantId: 'anna',
        occurredAt: iso(unix('2026-03-02T07:00:00Z')),
      }),
      expect.objectContaining({
        type: 'sale',
        externalId: 'lead-9002',
        participantId: 'boris',
        amountMinor: 400_000,
        clientId: 'contact-4001',
        isNewClient: true,
        product: 'Y',
        quantity: 2,
      }),
      expect.objectContaining({ type: 'lead', externalId: 'lead-9002/lead' }),
      expect.objectContaining({ type: 'lead', externalId: 'lead-9003/lead' }),
      expect.objectContaining({ type: 'lead', externalId: 'lead-9004/lead' }),
    ]);
    expect(amo.requests.some((path) => path.startsWith('/api/v4/companies/3001?'))).toBe(true);
    expect(amo.overLimit).toBe(0);
  });

  it('the webhooks read the same: a Bitrix24 deal won with rows, an amoCRM lead added and won', async () => {
    portal.deals.set(
      '106',
      wonDeal('106', {
        ASSIGNED_BY_ID: BITRIX_USERS.boris,
        OPPORTUNITY: '40000.00',
        COMPANY_ID: '55',
        DATE_CREATE: '2026-03-08T10:00:00+03:00',
        MOVED_TIME: '2026-03-09T10:00:00+03:00',
        DATE_MODIFY: '2026-03-09T10:05:00+03:00',
      }),
    );
    portal.productRows.set('106', [productRow('106', 'X', 20_000, 2)]);
    const call = await world.postForm(
      bitrixWebhook,
      form([
        ['event', 'ONCRMDEALUPDATE'],
        ['event_handler_id', '27'],
        ['data[FIELDS][ID]', '106'],
        ['ts', unix('2026-03-09T07:05:00Z')],
        ['auth[domain]', 'acme.bitrix24.ru'],
        ['auth[client_endpoint]', 'https://acme.bitrix24.ru/rest/'],
        ['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
        ['auth[member_id]', 'a223c6b3710f85df22e9377d6c4f7553'],
        ['auth[application_token]', APPLICATION_TOKEN],
      ]),
    );
    expect(call.status).toBe(200);
    const sale = await world.eventually(
      async () =>
        (await events('bitrix24')).filter((event) => event.externalId.startsWith('deal-106')),
      (found) => found.length === 2,
    );
    expect(sale).toEqual([
      expect.objectContaining({
        type: 'sale',
        externalId: 'deal-106',
        participantId: 'boris',
        amountMinor: 4_000_000,
        // Company 55 won deals 90 and 101 before.
        clientId: 'company-55',
        isNewClient: false,
        product: 'X',
        quantity: 2,
      }),
      expect.objectContaining({
        type: 'lead',
        externalId: 'deal-106/lead',
        participantId: 'boris',
      }),
    ]);

    amo.create({
      id: 9005,
      at: unix('2026-03-08T07:00:00Z'),
      price: 2_000,
      responsible_user_id: AMO_USERS.anna,
    });
    amo.leadContacts.set(9005, [{ id: 4005, is_main: true }]);
    amo.leadElements.set(9005, [{ id: 701, catalog_id: PRODUCTS_CATALOG, quantity: 2 }]);
    amo.edit(9005, unix('2026-03-09T07:00:00Z'), { status_id: WON });
    const hook = await world.postForm(
      amoWebhook,
      form([...amo.webhookLead('status', 0, 9005, { old_status_id: 1 }), ...amo.accountFields()]),
    );
    expect(hook.status).toBe(200);
    expect(hook.body).toMatchObject({ leads: 1, failed: 0 });
    expect(
      (await events('amocrm')).filter((event) => event.externalId.startsWith('lead-9005')),
    ).toEqual([
      expect.objectContaining({
        type: 'sale',
        externalId: 'lead-9005',
        participantId: 'anna',
        occurredAt: iso(unix('2026-03-09T07:00:00Z')),
        amountMinor: 200_000,
        clientId: 'contact-4005',
        isNewClient: true,
        product: 'X',
        quantity: 2,
      }),
      expect.objectContaining({
        type: 'lead',
        externalId: 'lead-9005/lead',
        occurredAt: iso(unix('2026-03-08T07:00:00Z')),
      }),
    ]);
  });

  it('gives every participant the points evaluate gives for the stored events and for the CRMs’ data', async () => {
    const all = await stored();
    expect(all.every((event) => event.source === 'bitrix24' || event.source === 'amocrm')).toBe(
      true,
    );
    const fromStored = await evaluated(all);
    // What the CRMs' data says, written out independently of the connectors.
    const lead = (
      source: string,
      externalId: string,
      participantId: string,
      occurredAt: string,
    ) => ({
      type: 'lead',
      source,
      externalId,
      participantId,
      occurredAt: new Date(occurredAt).toISOString(),
    });
    const sale = (
      source: string,
      externalId: string,
      participantId: string,
      occurredAt: string,
      amountMinor: number,
      extra: Record<string, unknown>,
    ) => ({
      type: 'sale',
      source,
      externalId,
      participantId,
      occurredAt: new Date(occurredAt).toISOString(),
      amountMinor,
      marginMinor: amountMinor / 5,
      ...extra,
    });
    const expected = [
      lead('bitrix24', 'deal-101/lead', 'anna', '2026-03-02T10:00:00+03:00'),
      lead('bitrix24', 'deal-102/lead', 'anna', '2026-03-03T10:00:00+03:00'),
      lead('bitrix24', 'deal-103/lead', 'boris', '2026-03-04T09:00:00+03:00'),
      lead('bitrix24', 'deal-104/lead', 'boris', '2026-03-04T11:00:00+03:00'),
      lead('bitrix24', 'deal-106/lead', 'boris', '2026-03-08T10:00:00+03:00'),
      sale('bitrix24', 'deal-101#1', 'anna', '2026-03-05T18:00:00+03:00', 2_000_000, {
        clientId: 'company-55',
        isNewClient: false,
        product: 'X',
        quantity: 2,
      }),
      sale('bitrix24', 'deal-101#2', 'anna', '2026-03-05T18:00:00+03:00', 500_000, {
        clientId: 'company-55',
        isNewClient: false,
        product: 'Y',
        quantity: 1,
      }),
      sale('bitrix24', 'deal-102', 'anna', '2026-03-06T12:00:00+03:00', 3_000_000, {
        clientId: 'contact-77',
        isNewClient: true,
        product: 'X',
        quantity: 1,
      }),
      sale('bitrix24', 'deal-104', 'boris', '2026-03-07T15:00:00+03:00', 1_200_000, {
        clientId: 'company-56',
        isNewClient: true,
      }),
      sale('bitrix24', 'deal-106', 'boris', '2026-03-09T10:00:00+03:00', 4_000_000, {
        clientId: 'company-55',
        isNewClient: false,
        product: 'X',
        quantity: 2,
      }),
      lead('amocrm', 'lead-9001/lead', 'anna', '2026-03-02T07:00:00Z'),
      lead('amocrm', 'lead-9002/lead', 'boris', '2026-03-03T07:00:00Z'),
      lead('amocrm', 'lead-9003/lead', 'anna', '2026-03-04T07:00:00Z'),
      lead('amocrm', 'lead-9004/lead', 'boris', '2026-03-04T08:00:00Z'),
      lead('amocrm', 'lead-9005/lead', 'anna', '2026-03-08T07:00:00Z'),
      sale('amocrm', 'lead-9001', 'anna', '2026-03-05T10:00:00Z', 350_000, {
        clientId: 'company-3001',
        isNewClient: false,
        product: 'X',
        quantity: 3,
      }),
      sale('amocrm', 'lead-9002', 'boris', '2026-03-06T10:00:00Z', 400_000, {
        clientId: 'contact-4001',
        isNewClient: true,
        product: 'Y',
        quantity: 2,
      }),
      sale('amocrm', 'lead-9005', 'anna', '2026-03-09T07:00:00Z', 200_000, {
        clientId: 'contact-4005',
        isNewClient: true,
        product: 'X',
        quantity: 2,
      }),
    ];
    const fromData = await evaluated(expected);
    const shown = await standings();
    expect(shown).toEqual(fromStored);
    expect(shown).toEqual(fromData);
    // Not a draw of zeros: every criterion scored something for someone.
    expect(Object.values(shown).some((one) => one.points > 0)).toBe(true);
    expect(shown.anna?.points).not.toBe(shown.boris?.points);
  });
});

/**
 * Bitrix24's Leads as the source of `lead` events: the `ONCRMLEADADD` webhook and the pull
 * sync's `crm.lead.list` each count a lead once, as `deal-L<id>/lead`.
 */
describe('Bitrix24 leads from its Leads (crm.lead)', () => {
  const portal = new FakeBitrix24();
  const world = new CrmWorld({ allowPrivateCrm: true });
  let id: string;
  let webhookUrl: string;

  beforeAll(async () => {
    await portal.start();
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 leads',
      settings: {
        marginRate: 0.2,
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        timeoutMs: 5_000,
        leads: 'leads',
      },
    });
    expect(created.status).toBe(201);
    id = created.body.id as string;
    webhookUrl = created.body.webhookUrl as string;
    const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
      [BITRIX_USERS.anna]: 'anna',
      [BITRIX_USERS.boris]: 'boris',
    });
    expect(mapped.status).toBe(200);
  });

  afterAll(async () => {
    await world.stop();
    await portal.stop();
  });

  const leads = async () =>
    (
      await world.rows(
        `SELECT external_id, participant_id, occurred_at FROM events
          WHERE type = 'lead' ORDER BY external_id`,
      )
    ).map((row) => ({
      externalId: row.external_id as string,
      participantId: row.participant_id as string,
      occurredAt: (row.occurred_at as Date).toISOString(),
    }));

  it('counts a lead added (webhook) and the leads the sync reads, each once; deals are no leads then', async () => {
    portal.leads.set('17', crmLead('17', { ASSIGNED_BY_ID: BITRIX_USERS.anna, COMPANY_ID: '55' }));
    const call = await world.postForm(
      webhookUrl,
      form([
        ['event', 'ONCRMLEADADD'],
        ['event_handler_id', '28'],
        ['data[FIELDS][ID]', '17'],
        ['ts', unix('2026-03-03T08:00:00Z')],
        ['auth[domain]', 'acme.bitrix24.ru'],
        ['auth[client_endpoint]', 'https://acme.bitrix24.ru/rest/'],
        ['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
        ['auth[member_id]', 'a223c6b3710f85df22e9377d6c4f7553'],
        ['auth[application_token]', APPLICATION_TOKEN],
      ]),
    );
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ queued: true, dealId: 'L17' });
    await world.eventually(leads, (found) => found.length === 1);

    portal.leads.set(
      '18',
      crmLead('18', {
        ASSIGNED_BY_ID: BITRIX_USERS.boris,
        DATE_CREATE: '2026-03-04T12:00:00+03:00',
      }),
    );
    // A lead of February, before the contest: read by nobody.
    portal.leads.set('16', crmLead('16', { DATE_CREATE: '2026-02-20T12:00:00+03:00' }));
    portal.deals.set('201', wonDeal('201', { ASSIGNED_BY_ID: BITRIX_USERS.boris }));
    const run = await world.admin('POST', `/api/integrations/${id}/sync`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ outcome: 'ok', failures: [] });
    expect(await leads()).toEqual([
      {
        externalId: 'deal-L17/lead',
        participantId: 'anna',
        occurredAt: new Date('2026-03-03T11:00:00+03:00').toISOString(),
      },
      {
        externalId: 'deal-L18/lead',
        participantId: 'boris',
        occurredAt: new Date('2026-03-04T12:00:00+03:00').toISOString(),
      },
    ]);
    // Again: nothing new.
    const again = await world.admin('POST', `/api/integrations/${id}/sync`);
    expect(again.body).toMatchObject({ outcome: 'ok' });
    expect(await leads()).toHaveLength(2);
    expect(portal.calls.some((one) => one.method === 'crm.lead.list')).toBe(true);
  });
});

/**
 * A won deal whose product rows the portal refuses is not counted half-read: the sync lists it
 * with the portal's words, and the next report of the deal counts it whole.
 */
describe('Bitrix24 product rows the portal refuses', () => {
  const portal = new FakeBitrix24();
  const world = new CrmWorld({ allowPrivateCrm: true });
  let id: string;
  let webhookUrl: string;

  beforeAll(async () => {
    await portal.start();
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 rows',
      settings: {
        marginRate: 0.2,
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        timeoutMs: 5_000,
        productRows: 'perRow',
        newClients: true,
      },
    });
    expect(created.status).toBe(201);
    id = created.body.id as string;
    webhookUrl = created.body.webhookUrl as string;
    const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
      [BITRIX_USERS.anna]: 'anna',
    });
    expect(mapped.status).toBe(200);
  });

  afterAll(async () => {
    await world.stop();
    await portal.stop();
  });

  const sales = async () =>
    (
      await world.rows(
        `SELECT external_id, payload FROM events WHERE type = 'sale' ORDER BY external_id`,
      )
    ).map((row) => row.payload as Record<string, unknown>);

  it('lists the deal with the portal’s reason, then counts it whole when the deal is reported again', async () => {
    portal.deals.set('301', wonDeal('301', { OPPORTUNITY: '30000.00', COMPANY_ID: '58' }));
    portal.productRows.set('301', [
      productRow('301', 'X', 10_000, 1),
      productRow('301', 'Z', 20_000, 1),
    ]);
    portal.fail('crm.deal.productrows.get', 1, {
      status: 400,
      error: '',
      description: 'Access denied',
    });
    const run = await world.admin('POST', `/api/integrations/${id}/sync`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      outcome: 'failed',
      failures: [{ dealId: '301', reason: expect.stringContaining('Access denied') }],
    });
    expect(await sales()).toEqual([]);

    // The manager touches the deal: Bitrix24 sends ONCRMDEALUPDATE, and the rows are read.
    portal.deals.set('301', {
      ...(portal.deals.get('301') as FakeDeal),
      DATE_MODIFY: '2026-03-06T10:00:00+03:00',
    });
    const call = await world.postForm(
      webhookUrl,
      form([
        ['event', 'ONCRMDEALUPDATE'],
        ['event_handler_id', '27'],
        ['data[FIELDS][ID]', '301'],
        ['ts', unix('2026-03-06T07:00:00Z')],
        ['auth[domain]', 'acme.bitrix24.ru'],
        ['auth[client_endpoint]', 'https://acme.bitrix24.ru/rest/'],
        ['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
        ['auth[member_id]', 'a223c6b3710f85df22e9377d6c4f7553'],
        ['auth[application_token]', APPLICATION_TOKEN],
      ]),
    );
    expect(call.status).toBe(200);
    const counted = await world.eventually(sales, (found) => found.length === 2);
    expect(counted).toEqual([
      expect.objectContaining({
        externalId: 'deal-301#1',
        amountMinor: 1_000_000,
        product: 'X',
        clientId: 'company-58',
        isNewClient: true,
      }),
      expect.objectContaining({ externalId: 'deal-301#2', amountMinor: 2_000_000, product: 'Z' }),
    ]);
  });
});
