import { describe, expect, it } from '@jest/globals';
import { amocrmSettingsSchema, bitrix24SettingsSchema } from '../dto/crm-settings.dto.js';
import {
  AmocrmApiError,
  type AmocrmApi,
  type AmocrmApiLead,
  type AmocrmCatalogElement,
} from './amocrm-api.js';
import {
  amocrmClientOf,
  amocrmLinesOf,
  elementPrice,
  withAmocrmExtras,
  wonBefore,
} from './amocrm-extras.js';
import { amocrmObservation, parseAmocrmLeads, type AmocrmLead } from './amocrm-payload.js';
import { batchCommand } from './bitrix24-client.js';
import {
  bitrix24ClientOf,
  bitrix24LeadObservation,
  leadOfRead,
  linesOfRows,
  wonEarlier,
} from './bitrix24-extras.js';
import { bitrix24DealSchema, bitrix24Observation } from './bitrix24.js';

const bitrixSettings = bitrix24SettingsSchema.parse({
  marginRate: 0.2,
  applicationToken: 'app-token-123',
  portalWebhookUrl: 'https://acme.bitrix24.ru/rest/1/abc/',
  pipelineIds: [0],
});

const deal = (fields: Record<string, unknown> = {}) =>
  bitrix24DealSchema.parse({
    ID: '101',
    STAGE_SEMANTIC_ID: 'S',
    OPPORTUNITY: '25000.00',
    CURRENCY_ID: 'RUB',
    ASSIGNED_BY_ID: '7',
    CATEGORY_ID: '0',
    CLOSEDATE: '2026-03-05T18:00:00+03:00',
    MOVED_TIME: '2026-03-05T18:00:00+03:00',
    DATE_CREATE: '2026-03-02T10:00:00+03:00',
    DATE_MODIFY: '2026-03-05T18:05:00+03:00',
    COMPANY_ID: '0',
    CONTACT_ID: '0',
    ...fields,
  });

describe('Bitrix24 readers', () => {
  it('reads product rows with numbers or string numbers, leaving out rows of no units', () => {
    expect(
      linesOfRows([
        { PRODUCT_NAME: 'Товар #2', PRICE: 899.1, QUANTITY: 1 },
        { PRODUCT_NAME: ' X ', PRICE: '10000.50', QUANTITY: 2 },
        { PRODUCT_NAME: 'Placeholder', PRICE: 0, QUANTITY: 0 },
        { PRODUCT_NAME: '', ORIGINAL_PRODUCT_NAME: 'Y', PRICE: 5, QUANTITY: 1.5 },
      ]),
    ).toEqual([
      { product: 'Товар #2', quantity: 1, amountMinor: 89_910 },
      { product: 'X', quantity: 2, amountMinor: 2_000_100 },
      { product: 'Y', quantity: 1.5, amountMinor: 750 },
    ]);
    expect(linesOfRows([{ PRODUCT_NAME: 'X', PRICE: 'n/a', QUANTITY: 1 }])).toBe(
      'product row 1: PRICE is not an amount',
    );
  });

  it('takes the company, else the contact, as the client ("0" and empty are none)', () => {
    expect(bitrix24ClientOf({ COMPANY_ID: '55', CONTACT_ID: '77' })).toMatchObject({
      field: 'COMPANY_ID',
      clientId: 'company-55',
    });
    expect(bitrix24ClientOf({ COMPANY_ID: '0', CONTACT_ID: '77' })).toMatchObject({
      field: 'CONTACT_ID',
      clientId: 'contact-77',
    });
    expect(bitrix24ClientOf({ COMPANY_ID: '', CONTACT_ID: null })).toBeNull();
  });

  it('finds a won deal of the client before this one, dated as sales are', () => {
    const won = deal();
    const earlier = { ID: '90', STAGE_SEMANTIC_ID: 'S', MOVED_TIME: '2026-02-10T12:00:00+03:00' };
    const later = { ID: '106', STAGE_SEMANTIC_ID: 'S', MOVED_TIME: '2026-03-09T10:00:00+03:00' };
    const lost = { ID: '91', STAGE_SEMANTIC_ID: 'F', MOVED_TIME: '2026-02-10T12:00:00+03:00' };
    const modified = '2026-03-05T18:05:00+03:00';
    expect(wonEarlier(won, [later, lost], 'Europe/Moscow', modified)).toBe(false);
    expect(wonEarlier(won, [later, earlier], 'Europe/Moscow', modified)).toBe(true);
    expect(wonEarlier(won, [earlier], 'Europe/Moscow', modified)).toBe(true);
    // Itself is never earlier.
    expect(wonEarlier(won, [{ ...earlier, ID: '101' }], 'Europe/Moscow', modified)).toBe(false);
  });

  it('counts a deal as a lead only when the settings say deals, in a counted category', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(bitrix24Observation(deal(), bitrixSettings, now).createdAt).toBeUndefined();
    const leads = { ...bitrixSettings, leads: 'deals' as const };
    expect(bitrix24Observation(deal(), leads, now).createdAt).toBe('2026-03-02T10:00:00+03:00');
    expect(bitrix24Observation(deal({ CATEGORY_ID: '1' }), leads, now).createdAt).toBeUndefined();
    expect(
      bitrix24Observation(deal(), leads, now, {
        client: { id: 'company-55', isNew: false },
        lines: [{ product: 'X', quantity: 2, amountMinor: 2_000_000 }],
      }),
    ).toMatchObject({ client: { id: 'company-55', isNew: false }, lines: [{ product: 'X' }] });
  });

  it('reads a lead of the portal’s Leads as L<id>, or says what is wrong', () => {
    expect(
      bitrix24LeadObservation({
        ID: '17',
        ASSIGNED_BY_ID: '7',
        DATE_CREATE: '2026-03-03T11:00:00+03:00',
        COMPANY_ID: '55',
        CONTACT_ID: '0',
      }),
    ).toEqual({
      id: 'L17',
      crmUserId: '7',
      createdAt: '2026-03-03T11:00:00+03:00',
      clientId: 'company-55',
    });
    expect(bitrix24LeadObservation({ ID: '18', ASSIGNED_BY_ID: '7', DATE_CREATE: '' })).toMatch(
      /^DATE_CREATE: /,
    );
    expect(leadOfRead('L17')).toBe('17');
    expect(leadOfRead('17')).toBeNull();
  });

  it('writes a batch command as PHP reads a query string', () => {
    expect(
      decodeURIComponent(
        batchCommand('crm.deal.list', {
          filter: { COMPANY_ID: '55', '!ID': '101' },
          order: { MOVED_TIME: 'ASC' },
          select: ['ID', 'MOVED_TIME'],
        }),
      ),
    ).toBe(
      'crm.deal.list?filter[COMPANY_ID]=55&filter[!ID]=101&order[MOVED_TIME]=ASC&select[0]=ID&select[1]=MOVED_TIME',
    );
  });
});

const apiLead = (embedded: AmocrmApiLead['_embedded']): AmocrmApiLead => ({
  id: 9001,
  responsible_user_id: 5501,
  status_id: 142,
  updated_at: 1_772_700_000,
  _embedded: embedded,
});

describe('amoCRM readers', () => {
  it('takes the company, else the main contact, else the first contact', () => {
    expect(
      amocrmClientOf(apiLead({ companies: [{ id: 3001 }], contacts: [{ id: 1, is_main: true }] })),
    ).toMatchObject({ entity: 'companies', clientId: 'company-3001' });
    expect(
      amocrmClientOf(
        apiLead({
          companies: [],
          contacts: [
            { id: 4003, is_main: false },
            { id: 4001, is_main: true },
          ],
        }),
      ),
    ).toMatchObject({ entity: 'contacts', clientId: 'contact-4001' });
    expect(amocrmClientOf(apiLead({ contacts: [{ id: 4003 }] }))?.clientId).toBe('contact-4003');
    expect(amocrmClientOf(apiLead({}))).toBeNull();
  });

  it('reads the linked catalog elements as rows: name, the link’s quantity, PRICE × quantity', () => {
    const element = (id: number, name: string, price: unknown): AmocrmCatalogElement => ({
      id,
      name,
      custom_fields_values: [
        { field_id: 1, field_code: 'SKU', values: [{ value: 'A-1' }] },
        { field_id: 2, field_code: 'PRICE', values: [{ value: price }] },
      ],
    });
    const elements = new Map([
      ['4521:701', element(701, 'X', '999.12')],
      ['4521:702', element(702, 'Y', 500)],
    ]);
    const lead = apiLead({
      catalog_elements: [
        { id: 701, metadata: { quantity: 3, catalog_id: 4521 } },
        { id: 702, metadata: { quantity: '1', catalog_id: 4521 } },
      ],
    });
    expect(amocrmLinesOf(lead, elements)).toEqual([
      { product: 'X', quantity: 3, amountMinor: 299_736 },
      { product: 'Y', quantity: 1, amountMinor: 50_000 },
    ]);
    expect(
      amocrmLinesOf(
        apiLead({ catalog_elements: [{ id: 703, metadata: { catalog_id: 4521 } }] }),
        elements,
      ),
    ).toBe('catalog element 703 could not be read');
    expect(elementPrice(element(1, 'Z', 'free'))).toBeNull();
  });

  it('finds a lead of the client won (and not deleted) before this one', () => {
    const other = (id: number, status: number, closed: number, deleted = false): AmocrmApiLead => ({
      id,
      responsible_user_id: 1,
      status_id: status,
      updated_at: closed,
      closed_at: closed,
      is_deleted: deleted,
    });
    expect(wonBefore([other(8001, 142, 100)], 200, '9001', [142])).toBe(true);
    expect(wonBefore([other(8001, 143, 100)], 200, '9001', [142])).toBe(false);
    expect(wonBefore([other(8001, 142, 300)], 200, '9001', [142])).toBe(false);
    expect(wonBefore([other(8001, 142, 100, true)], 200, '9001', [142])).toBe(false);
    expect(wonBefore([other(9001, 142, 100)], 200, '9001', [142])).toBe(false);
  });

  it('dates the lead at the webhook’s date_create when the settings count leads', () => {
    const call = parseAmocrmLeads({
      'leads[add][0][id]': '9005',
      'leads[add][0][status_id]': '1',
      'leads[add][0][pipeline_id]': '7039099',
      'leads[add][0][price]': '2000',
      'leads[add][0][responsible_user_id]': '5501',
      'leads[add][0][last_modified]': '1772953200',
      'leads[add][0][date_create]': '1772953200',
    });
    if ('issues' in call) throw new Error('unreadable');
    const lead = call.leads[0] as AmocrmLead;
    expect(lead.createdAt).toBe(1_772_953_200);
    const settings = amocrmSettingsSchema.parse({ marginRate: 0.2, leads: true });
    const now = new Date('2026-03-10T12:00:00Z');
    expect(amocrmObservation(lead, settings, now).createdAt).toBe('2026-03-08T07:00:00.000Z');
    expect(amocrmObservation(lead, { ...settings, leads: false }, now).createdAt).toBeUndefined();
    expect(
      amocrmObservation(lead, { ...settings, pipelineIds: [1] }, now).createdAt,
    ).toBeUndefined();
  });
});

describe('amoCRM extras when amoCRM fails a call', () => {
  const settings = amocrmSettingsSchema.parse({
    marginRate: 0.2,
    baseUrl: 'https://acme.amocrm.ru',
    accessToken: 'long-lived-token-of-the-integration',
    newClients: true,
    productRows: 'perRow',
  });
  const won: AmocrmLead = {
    deleted: false,
    path: 'leads[status][0]',
    id: '9001',
    statusId: 142,
    pipelineId: null,
    priceMinor: 350_000,
    responsibleUserId: '5501',
    lastModified: 1_772_700_000,
    customFields: new Map(),
  };
  // amoCRM answered 503 to every try of the leads' read.
  const failing = {
    leadsById: () => Promise.reject(new AmocrmApiError('amoCRM answered 503', 503, true)),
  } as unknown as AmocrmApi;

  it('lists the lead for a webhook, whose lead the next pull sync reads again', async () => {
    await expect(withAmocrmExtras(failing, [won], settings)).resolves.toEqual({
      leads: [],
      failures: [{ id: '9001', reason: 'amoCRM answered 503' }],
    });
  });

  it('stops the pull sync, so its cursor does not pass the won lead', async () => {
    await expect(
      withAmocrmExtras(failing, [won], settings, { calls: 'throw' }),
    ).rejects.toBeInstanceOf(AmocrmApiError);
  });
});

describe('the switches in the settings', () => {
  it('are off unless given, and name the field when they are wrong', () => {
    expect(bitrixSettings).not.toHaveProperty('leads');
    const wrong = bitrix24SettingsSchema.safeParse({
      marginRate: 0.2,
      applicationToken: 'app-token-123',
      portalWebhookUrl: 'https://acme.bitrix24.ru/rest/1/abc/',
      leads: true,
      newClients: 'yes',
      productRows: 'all',
    });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'leads',
      'newClients',
      'productRows',
    ]);
    const noApi = amocrmSettingsSchema.safeParse({ marginRate: 0.2, productRows: 'perRow' });
    expect(noApi.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['productRows']);
    expect(
      amocrmSettingsSchema.safeParse({ marginRate: 0.2, productRows: 'off', leads: true }).success,
    ).toBe(true);
  });
});
