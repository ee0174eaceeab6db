import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { CrmWorld } from '../../../../tests/support/crm.js';
import type { DealObservation } from './crm/deal-observation.js';
import { CrmDealsService, dealOfSale, splitByRows, type CrmContext } from './crm-deals.service.js';

interface StoredEvent {
  type: string;
  external_id: string;
  participant_id: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

/** A won deal of CRM user 11 (Anna) on 2 March, as a CRM connector reports it. */
function deal(id: string, fields: Partial<DealObservation> = {}): DealObservation {
  return {
    dealId: id,
    crmUserId: '11',
    won: true,
    amountMinor: 100_000_00,
    marginMinor: 20_000_00,
    currency: 'RUB',
    occurredAt: '2026-03-02T10:00:00.000Z',
    modifiedAt: '2026-03-02T10:00:00.000Z',
    ...fields,
  };
}

const ROWS = [
  { product: 'X', quantity: 2, amountMinor: 50_000_00 },
  { product: 'Y', quantity: 1, amountMinor: 30_000_00 },
  { product: 'Z', quantity: 5.5, amountMinor: 20_000_00 },
];

/**
 * CrmDealsService on PostgreSQL: a deal's product rows, client and lead become the sales and
 * leads the CRM connectors store, each exactly once, and an edit is corrected where the sale
 * stands.
 */
describe('CrmDealsService: rows, clients and leads', () => {
  const world = new CrmWorld();
  let service: CrmDealsService;
  let dataSource: DataSource;
  let context: CrmContext;

  const apply = (observation: DealObservation, over: Partial<CrmContext> = {}) =>
    dataSource.transaction((manager) =>
      service.apply(manager, { ...context, ...over }, observation),
    );

  /** The events of the deals whose externalIds start so, by externalId. */
  async function eventsOf(dealPrefix: string): Promise<StoredEvent[]> {
    return (await world.rows(
      `SELECT type, external_id, participant_id, occurred_at, payload FROM events
        WHERE source = 'amocrm' AND external_id LIKE $1 ORDER BY external_id`,
      [`${dealPrefix}%`],
    )) as unknown as StoredEvent[];
  }

  beforeAll(async () => {
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM rows',
      settings: { marginRate: 0.2, currency: 'RUB' },
    });
    expect(created.status).toBe(201);
    const integrationId = created.body.id as string;
    const mapped = await world.admin('PUT', `/api/integrations/${integrationId}/mappings`, {
      '11': 'anna',
      '12': 'boris',
    });
    expect(mapped.status).toBe(200);
    service = world.sut.app.get(CrmDealsService);
    dataSource = world.sut.app.get(DataSource);
    context = {
      integrationId,
      integrationName: 'amoCRM rows',
      source: 'amocrm',
      prefix: 'lead',
      currency: 'RUB',
    };
  });

  afterAll(async () => {
    await world.stop();
  });

  it('counts a won deal per product row, once, and corrects every row on an edit', async () => {
    await apply(deal('1', { lines: ROWS }));
    await apply(deal('1', { lines: ROWS }));
    const first = await eventsOf('lead-1');
    expect(first.map((event) => [event.type, event.external_id])).toEqual([
      ['sale', 'lead-1#1'],
      ['sale', 'lead-1#2'],
      ['sale', 'lead-1#3'],
    ]);
    expect(first.map((event) => event.payload)).toEqual([
      expect.objectContaining({ product: 'X', quantity: 2, amountMinor: 50_000_00 }),
      expect.objectContaining({ product: 'Y', quantity: 1, amountMinor: 30_000_00 }),
      expect.objectContaining({ product: 'Z', quantity: 5.5, amountMinor: 20_000_00 }),
    ]);
    expect(first.map((event) => event.payload.marginMinor)).toEqual([
      10_000_00, 6_000_00, 4_000_00,
    ]);

    // A row's quantity edited later: every row's sale is reversed and counted again, on 2 March.
    const edited = ROWS.map((row) => (row.product === 'Y' ? { ...row, quantity: 3 } : row));
    await apply(deal('1', { lines: edited, modifiedAt: '2026-03-20T09:00:00.000Z' }));
    const after = await eventsOf('lead-1');
    const added = after.filter(
      (event) => !first.some((old) => old.external_id === event.external_id),
    );
    expect(added.map((event) => [event.type, event.external_id])).toEqual([
      ['reversal', 'lead-1#1/reversal'],
      ['reversal', 'lead-1#2/reversal'],
      ['reversal', 'lead-1#3/reversal'],
      ['sale', 'lead-1/2#1'],
      ['sale', 'lead-1/2#2'],
      ['sale', 'lead-1/2#3'],
    ]);
    expect(
      added.every((event) => event.occurred_at.toISOString() === '2026-03-02T10:00:00.000Z'),
    ).toBe(true);
    expect(added[4]?.payload).toMatchObject({ product: 'Y', quantity: 3 });

    // Out of won: the three sales standing are reversed, nothing else.
    await apply(deal('1', { won: false, lines: edited, modifiedAt: '2026-03-21T09:00:00.000Z' }));
    const last = (await eventsOf('lead-1')).filter(
      (event) => !after.some((old) => old.external_id === event.external_id),
    );
    expect(last.map((event) => event.external_id)).toEqual([
      'lead-1/2#1/reversal',
      'lead-1/2#2/reversal',
      'lead-1/2#3/reversal',
    ]);
    expect(dealOfSale('lead', 'lead-1/2#3')).toBe('1');
  });

  it("counts a deal as one sale of its largest row's product when configured so", async () => {
    await apply(deal('2', { lines: ROWS }), { productRows: 'main' });
    const events = await eventsOf('lead-2');
    expect(events.map((event) => event.external_id)).toEqual(['lead-2']);
    expect(events[0]?.payload).toMatchObject({
      product: 'X',
      quantity: 2,
      amountMinor: 100_000_00,
      marginMinor: 20_000_00,
    });
    // Rows without a product or quantity name nothing; a deal without rows has no product.
    await apply(deal('3', { lines: [{ product: '', quantity: 1, amountMinor: 5 }] }));
    expect((await eventsOf('lead-3'))[0]?.payload).not.toHaveProperty('product');
  });

  it("makes a client new only when the CRM and Podium's history both say so", async () => {
    const client = { id: 'company-77', isNew: true };
    await apply(deal('10', { client, occurredAt: '2026-03-03T10:00:00.000Z' }));
    // The CRM still calls the client new (its earlier deal is not in its data any more), but
    // Podium saw deal 10 won first.
    await apply(deal('11', { client, occurredAt: '2026-03-05T10:00:00.000Z' }));
    // The CRM says the client bought before: not new.
    await apply(deal('12', { client: { id: 'contact-5', isNew: false } }));
    const payloads = [
      ...(await eventsOf('lead-10')),
      ...(await eventsOf('lead-11')),
      ...(await eventsOf('lead-12')),
    ].map((event) => [event.external_id, event.payload.clientId, event.payload.isNewClient]);
    expect(payloads).toEqual([
      ['lead-10', 'company-77', true],
      ['lead-11', 'company-77', false],
      ['lead-12', 'contact-5', false],
    ]);
  });

  it('counts a lead once per deal, holds it while its seller is unmapped, and a crm.lead too', async () => {
    const createdAt = '2026-03-04T08:00:00.000Z';
    await apply(deal('20', { won: false, createdAt }));
    await apply(deal('20', { won: false, createdAt, modifiedAt: '2026-03-05T00:00:00.000Z' }));
    await apply(
      deal('20', {
        createdAt,
        occurredAt: '2026-03-06T10:00:00.000Z',
        modifiedAt: '2026-03-06T10:00:00.000Z',
      }),
    );
    expect(
      (await eventsOf('lead-20')).map((event) => [
        event.type,
        event.external_id,
        event.occurred_at.toISOString(),
      ]),
    ).toEqual([
      ['sale', 'lead-20', '2026-03-06T10:00:00.000Z'],
      ['lead', 'lead-20/lead', createdAt],
    ]);

    // CRM user 13 has no participant: the deal is held, and mapping the user counts its lead.
    await apply(deal('21', { crmUserId: '13', won: false, createdAt }));
    expect(await eventsOf('lead-21')).toEqual([]);
    const held = await world.admin('GET', `/api/integrations/${context.integrationId}/held`);
    expect(held.body.deals).toEqual(
      expect.arrayContaining([expect.objectContaining({ dealId: '21', reason: 'unmapped' })]),
    );
    const mapped = await world.admin('PUT', `/api/integrations/${context.integrationId}/mappings`, {
      '11': 'anna',
      '12': 'boris',
      '13': 'boris',
    });
    expect(mapped.status).toBe(200);
    expect((await eventsOf('lead-21')).map((event) => [event.type, event.participant_id])).toEqual([
      ['lead', 'boris'],
    ]);

    await dataSource.transaction((manager) =>
      service.applyLead(manager, context, {
        id: 'L9',
        crmUserId: '12',
        createdAt,
        clientId: 'contact-9',
      }),
    );
    await dataSource.transaction((manager) =>
      service.applyLead(manager, context, { id: 'L9', crmUserId: '12', createdAt }),
    );
    expect(
      (await eventsOf('lead-L9')).map((event) => [event.external_id, event.payload.clientId]),
    ).toEqual([['lead-L9/lead', 'contact-9']]);
  });
});

describe('splitByRows', () => {
  it("shares a deal's amount and margin exactly, never a row's margin above its amount", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amountMinor: fc.integer({ min: 0, max: 10_000_000 }),
            quantity: fc.integer({ min: 1, max: 100 }),
          }),
          { minLength: 2, maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.double({ min: -2, max: 1, noNaN: true }),
        (rows, amountMinor, rate) => {
          const marginMinor = Math.round(amountMinor * rate) + 0;
          const parts = splitByRows(amountMinor, marginMinor, rows);
          expect(parts.reduce((sum, part) => sum + part.amountMinor, 0)).toBe(amountMinor);
          expect(parts.reduce((sum, part) => sum + part.marginMinor, 0)).toBe(marginMinor);
          for (const part of parts) {
            expect(part.amountMinor).toBeGreaterThanOrEqual(0);
            expect(part.marginMinor).toBeLessThanOrEqual(part.amountMinor);
          }
        },
      ),
    );
  });
});
