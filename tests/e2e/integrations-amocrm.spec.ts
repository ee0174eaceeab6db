import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CrmWorld, form } from '../support/crm.js';

/** amoCRM's clock for a lead change: Unix seconds, as `last_modified` carries it. */
const at = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/**
 * One lead of amoCRM's "lead status changed" webhook, with every field amoCRM sends (form keys
 * `leads[status][<i>][…]`), its custom fields included.
 */
function lead(
  index: number,
  {
    id,
    status,
    oldStatus,
    price,
    user,
    modified,
    pipeline = 7039099,
    margin,
  }: {
    id: number;
    status: number;
    oldStatus: number;
    price: string;
    user: number;
    modified: string;
    pipeline?: number;
    margin?: string;
  },
): [string, string | number][] {
  const key = (name: string) => `leads[status][${index}][${name}]`;
  return [
    [key('id'), id],
    [key('name'), `Deal #${id}`],
    [key('status_id'), status],
    [key('old_status_id'), oldStatus],
    [key('price'), price],
    [key('responsible_user_id'), user],
    [key('last_modified'), at(modified)],
    [key('modified_user_id'), user],
    [key('created_user_id'), user],
    [key('date_create'), at('2026-03-02T09:00:00Z')],
    [key('pipeline_id'), pipeline],
    [key('account_id'), 29085955],
    [key('custom_fields][0][id'), 427183],
    [key('custom_fields][0][name'), 'Source'],
    [key('custom_fields][0][values][0][value'), 'Website'],
    ...(margin === undefined
      ? []
      : ([
          [key('custom_fields][1][id'), 512345],
          [key('custom_fields][1][name'), 'Margin'],
          [key('custom_fields][1][values][0][value'), margin],
        ] as [string, string][])),
    [key('created_at'), at('2026-03-02T09:00:00Z')],
    [key('updated_at'), at(modified)],
  ];
}

const account: [string, string | number][] = [
  ['account[subdomain]', 'acme'],
  ['account[id]', 29085955],
  ['account[_links][self]', 'https://acme.amocrm.ru'],
];

describe('amoCRM webhooks', () => {
  const world = new CrmWorld();
  let id: string;
  let webhookUrl: string;
  let secret: string;

  const post = (...leads: [string, string | number][][]) =>
    world.postForm(webhookUrl, form([...leads.flat(), ...account]));

  beforeAll(async () => {
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM acme',
      settings: { marginRate: 0.2, currency: 'RUB' },
    });
    expect(created.status).toBe(201);
    id = created.body.id as string;
    secret = created.body.secret as string;
    webhookUrl = created.body.webhookUrl as string;
    expect(webhookUrl).toBe(`${world.sut.url}/api/webhooks/amocrm/${id}/${secret}`);
    const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, { '5501': 'anna' });
    expect(mapped).toEqual({ status: 200, body: { '5501': 'anna' } });
  });

  afterAll(() => world.stop());

  it('checks the settings per kind and names the field', async () => {
    const bad = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'bad',
      settings: { marginRate: 1.5, wonStatusIds: ['won'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'settings.marginRate',
          message: 'must be between 0 and 1',
          code: 'too_big',
          params: { kind: 'inclusive', max: 1 },
        },
        expect.objectContaining({ path: 'settings.wonStatusIds[0]' }),
      ]),
    );
    const none = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'no margin',
      settings: {},
    });
    expect(none.body.issues).toEqual([
      expect.objectContaining({
        path: 'settings.marginRate',
        message: expect.stringMatching(/marginField/),
        code: 'required',
      }),
    ]);
    const sameSource = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'second account',
      settings: { marginRate: 0.1 },
    });
    expect(sameSource.body.issues).toEqual([expect.objectContaining({ path: 'settings.source' })]);
    // amoCRM is called from this server: only an amoCRM account's https address is taken.
    for (const baseUrl of [
      'https://crm.example.com',
      'http://acme.amocrm.ru',
      'https://10.0.0.8',
    ]) {
      const elsewhere = await world.admin('POST', '/api/integrations', {
        kind: 'amocrm',
        name: 'elsewhere',
        settings: {
          marginRate: 0.1,
          source: 'amocrm-elsewhere',
          baseUrl,
          accessToken: 'long-lived-token-0123456789',
        },
      });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.issues).toEqual([
        expect.objectContaining({ path: 'settings.baseUrl', code: 'invalid_format' }),
      ]);
    }
    // The list never shows the secret again.
    const list = await world.admin('GET', '/api/integrations');
    expect(JSON.stringify(list.body)).not.toContain(secret);
  });

  it('counts a won lead as a sale, and the same webhook again changes nothing', async () => {
    expect(await world.points()).toEqual({ anna: 0, boris: 0 });
    const won = lead(0, {
      id: 31001,
      status: 142,
      oldStatus: 7039101,
      price: '150000',
      user: 5501,
      modified: '2026-03-05T10:00:00Z',
    });
    const first = await post(won);
    expect(first).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    // 150,000.00 × 0.2 = 30,000.00 of margin = 30 points.
    expect(await world.points()).toEqual({ anna: 30, boris: 0 });
    const [sale] = await world.rows(
      `SELECT source, external_id, participant_id, payload FROM events WHERE external_id = 'lead-31001'`,
    );
    expect(sale).toMatchObject({
      source: 'amocrm',
      participant_id: 'anna',
      payload: expect.objectContaining({
        type: 'sale',
        amountMinor: 15_000_000,
        marginMinor: 3_000_000,
        occurredAt: '2026-03-05T10:00:00.000Z',
      }),
    });
    const before = await world.writes();
    await expect(post(won)).resolves.toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    expect(await world.writes()).toEqual(before);
    expect(await world.points()).toEqual({ anna: 30, boris: 0 });
  });

  it('takes the points back when the lead leaves won, and counts it anew when won again', async () => {
    await post(
      lead(0, {
        id: 31001,
        status: 143,
        oldStatus: 142,
        price: '150000',
        user: 5501,
        modified: '2026-03-06T10:00:00Z',
      }),
    );
    expect(await world.points()).toEqual({ anna: 0, boris: 0 });
    const reversal = await world.rows(
      `SELECT payload FROM events WHERE external_id = 'lead-31001/reversal'`,
    );
    expect(reversal[0]?.payload).toMatchObject({
      type: 'reversal',
      reversesExternalId: 'lead-31001',
      participantId: 'anna',
    });
    // An older webhook arriving late (won, 5 March) is ignored: it is not news.
    await post(
      lead(0, {
        id: 31001,
        status: 142,
        oldStatus: 7039101,
        price: '150000',
        user: 5501,
        modified: '2026-03-05T10:00:00Z',
      }),
    );
    expect(await world.points()).toEqual({ anna: 0, boris: 0 });
    // Lost (143) → in progress: counts nowhere.
    await post(
      lead(0, {
        id: 31001,
        status: 7039101,
        oldStatus: 143,
        price: '150000',
        user: 5501,
        modified: '2026-03-07T10:00:00Z',
      }),
    );
    expect(await world.points()).toEqual({ anna: 0, boris: 0 });
    // Won again, at a decimal price: a new sale with its own externalId.
    await post(
      lead(0, {
        id: 31001,
        status: 142,
        oldStatus: 7039101,
        price: '120000.55',
        user: 5501,
        modified: '2026-03-08T10:00:00Z',
      }),
    );
    const [again] = await world.rows(
      `SELECT payload FROM events WHERE external_id = 'lead-31001/2'`,
    );
    // 120,000.55 → 12,000,055 minor; × 0.2 = 2,400,011 minor of margin.
    expect(again?.payload).toMatchObject({ amountMinor: 12_000_055, marginMinor: 2_400_011 });
    expect(await world.points()).toEqual({ anna: 24, boris: 0 });
  });

  it('holds the deals of an unmapped CRM user and applies them when the user is mapped', async () => {
    const answer = await post(
      lead(0, {
        id: 32001,
        status: 142,
        oldStatus: 7039101,
        price: '50000',
        user: 5502,
        modified: '2026-03-09T10:00:00Z',
      }),
      lead(1, {
        id: 32002,
        status: 142,
        oldStatus: 7039101,
        price: '25000',
        user: 5502,
        modified: '2026-03-09T11:00:00Z',
      }),
      lead(2, {
        id: 32003,
        status: 143,
        oldStatus: 7039101,
        price: '99000',
        user: 5502,
        modified: '2026-03-09T12:00:00Z',
      }),
    );
    expect(answer).toEqual({ status: 200, body: { leads: 3, failed: 0 } });
    expect(await world.points()).toEqual({ anna: 24, boris: 0 });
    const held = await world.admin('GET', `/api/integrations/${id}/held`);
    expect(held.status).toBe(200);
    expect(held.body.deals).toEqual([
      expect.objectContaining({
        dealId: '32001',
        crmUserId: '5502',
        reason: 'unmapped',
        amountMinor: 5_000_000,
      }),
      expect.objectContaining({ dealId: '32002', crmUserId: '5502', reason: 'unmapped' }),
    ]);
    const unknown = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
      '5501': 'anna',
      '5502': 'nobody',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual([
      { path: '5502', message: 'unknown participant "nobody"', code: 'unknownParticipant' },
    ]);
    const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
      '5501': 'anna',
      '5502': 'boris',
    });
    expect(mapped.status).toBe(200);
    // (50,000 + 25,000) × 0.2 = 15,000.00 of margin.
    expect(await world.points()).toEqual({ anna: 24, boris: 15 });
    expect((await world.admin('GET', `/api/integrations/${id}/held`)).body.deals).toEqual([]);
  });

  it('counts only the pipelines and statuses configured, with the margin from a custom field', async () => {
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM wholesale',
      settings: {
        source: 'amocrm-wholesale',
        marginField: 512345,
        wonStatusIds: [142, 61234],
        pipelineIds: [8000001],
      },
    });
    expect(created.status).toBe(201);
    const url = created.body.webhookUrl as string;
    await world.admin('PUT', `/api/integrations/${created.body.id as string}/mappings`, {
      '5501': 'anna',
    });
    const answer = await world.postForm(
      url,
      form([
        // Another pipeline: not counted.
        ...lead(0, {
          id: 41001,
          status: 142,
          oldStatus: 1,
          price: '900000',
          user: 5501,
          modified: '2026-03-09T10:00:00Z',
          pipeline: 7039099,
          margin: '90000',
        }),
        // The configured pipeline, a custom won status, margin 12,345.67 from the field.
        ...lead(1, {
          id: 41002,
          status: 61234,
          oldStatus: 1,
          price: '100000',
          user: 5501,
          modified: '2026-03-09T10:00:00Z',
          pipeline: 8000001,
          margin: '12345.67',
        }),
        ...account,
      ]),
    );
    expect(answer.status).toBe(200);
    const events = await world.rows(
      `SELECT external_id, payload FROM events WHERE source = 'amocrm-wholesale'`,
    );
    expect(events).toEqual([
      {
        external_id: 'lead-41002',
        payload: expect.objectContaining({ amountMinor: 10_000_000, marginMinor: 1_234_567 }),
      },
    ]);
    expect(await world.points()).toEqual({ anna: 36.35, boris: 15 });
  });

  it('counts a lead once when amoCRM sends the same webhook several times at once', async () => {
    const won = lead(0, {
      id: 33001,
      status: 142,
      oldStatus: 7039101,
      price: '10000',
      user: 5501,
      modified: '2026-03-09T15:00:00Z',
    });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(won)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    const sales = await world.rows(
      `SELECT external_id FROM events WHERE external_id LIKE 'lead-33001%'`,
    );
    expect(sales).toEqual([{ external_id: 'lead-33001' }]);
    // 10,000 × 0.2 = 2,000.00 of margin.
    expect(await world.points()).toEqual({ anna: 38.35, boris: 15 });
  });

  it('takes back a deleted lead, and answers other amoCRM webhooks without counting them', async () => {
    const deleted = await world.postForm(
      webhookUrl,
      form([['leads[delete][0][id]', 33001], ['leads[delete][0][status_id]', 142], ...account]),
    );
    expect(deleted).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    expect(await world.points()).toEqual({ anna: 36.35, boris: 15 });
    const before = await world.writes();
    const contact = await world.postForm(
      webhookUrl,
      form([['contacts[add][0][id]', 771], ['contacts[add][0][name]', 'Ivan'], ...account]),
    );
    expect(contact).toEqual({ status: 200, body: { leads: 0, failed: 0 } });
    expect(await world.writes()).toEqual(before);
  });

  it('answers more concurrent webhooks than the database pool has connections', async () => {
    // Each request holds one connection for its transaction: every read inside it must use that
    // connection, or 30 requests on a pool of 20 would wait for each other forever.
    const leads = Array.from({ length: 30 }, (_, index) =>
      lead(0, {
        id: 34000 + index,
        status: 142,
        oldStatus: 7039101,
        price: '1000',
        user: 5501,
        modified: '2026-03-09T16:00:00Z',
      }),
    );
    const before = await world.points();
    const answers = await Promise.all(leads.map((fields) => post(fields)));
    expect(answers.map((answer) => answer.status)).toEqual(leads.map(() => 200));
    // 30 × 1,000 × 0.2 = 6,000.00 of margin.
    expect((await world.points()).anna).toBeCloseTo((before.anna ?? 0) + 6, 2);
  });

  it('refuses a wrong secret, another integration id or a revoked one with 401, writing nothing', async () => {
    const before = await world.writes();
    const points = await world.points();
    const won = form([
      ...lead(0, {
        id: 39001,
        status: 142,
        oldStatus: 1,
        price: '777000',
        user: 5501,
        modified: '2026-03-09T10:00:00Z',
      }),
      ...account,
    ]);
    const wrong = await world.postForm(webhookUrl.replace(secret, `${secret.slice(0, -1)}x`), won);
    expect(wrong.status).toBe(401);
    const other = await world.postForm(
      webhookUrl.replace(id, '00000000-0000-4000-8000-000000000000'),
      won,
    );
    expect(other.status).toBe(401);
    expect(await world.writes()).toEqual(before);
    expect(await world.points()).toEqual(points);
  });

  it('applies the good lead of a batch and lists the bad one by its form key', async () => {
    const before = await world.points();
    const answer = await world.postForm(
      webhookUrl,
      form([
        ...lead(0, {
          id: 39002,
          status: 142,
          oldStatus: 1,
          price: '10000',
          user: 5501,
          modified: '2026-03-09T10:00:00Z',
        }),
        ...lead(1, {
          id: 39003,
          status: 142,
          oldStatus: 1,
          price: 'a lot',
          user: 5501,
          modified: '2026-03-09T10:00:00Z',
        }),
        ...account,
      ]),
    );
    // 2xx: amoCRM would re-send the whole batch, the good lead with it, until it gave up.
    expect(answer).toEqual({ status: 200, body: { leads: 1, failed: 1 } });
    expect(await world.points()).toEqual({ ...before, anna: (before.anna ?? 0) + 2 });
    const held = await world.admin('GET', `/api/integrations/${id}/held`);
    expect(held.body.failedFetches).toEqual([
      expect.objectContaining({
        dealId: '39003',
        event: 'leads[status]',
        attempts: 1,
        error: 'leads[status][1][price]: must be an amount in major units, e.g. 1500.50',
      }),
    ]);
    // A body that names no lead at all is still refused whole.
    const none = await world.postForm(webhookUrl, form([['leads', 'x']]));
    expect(none.status).toBe(400);
  });

  it('refuses everything once revoked', async () => {
    const revoked = await world.admin('DELETE', `/api/integrations/${id}`);
    expect(revoked.status).toBe(204);
    const before = await world.writes();
    const answer = await post(
      lead(0, {
        id: 39004,
        status: 142,
        oldStatus: 1,
        price: '100',
        user: 5501,
        modified: '2026-03-09T10:00:00Z',
      }),
    );
    expect(answer.status).toBe(401);
    expect(await world.writes()).toEqual(before);
    // Its source is not given to a new integration: their lead-<id> would collide.
    const again = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM acme again',
      settings: { marginRate: 0.2 },
    });
    expect(again.status).toBe(400);
    expect(again.body.issues).toEqual([expect.objectContaining({ path: 'settings.source' })]);
    const edit = await world.admin('PATCH', `/api/integrations/${id}`, { name: 'x' });
    expect(edit.status).toBe(400);
  });

  it('holds a won lead whose margin field is above its price, and answers the webhook', async () => {
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM swapped fields',
      settings: { source: 'amocrm-swapped', marginField: 512345 },
    });
    expect(created.status).toBe(201);
    const integration = created.body.id as string;
    await world.admin('PUT', `/api/integrations/${integration}/mappings`, { '5501': 'anna' });
    const before = await world.points();
    const answer = await world.postForm(
      created.body.webhookUrl as string,
      form([
        ...lead(0, {
          id: 42001,
          status: 142,
          oldStatus: 1,
          price: '1000',
          user: 5501,
          modified: '2026-03-09T10:00:00Z',
          margin: '5000',
        }),
        ...account,
      ]),
    );
    expect(answer).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    expect(await world.rows(`SELECT 1 FROM events WHERE source = 'amocrm-swapped'`)).toEqual([]);
    expect(await world.points()).toEqual(before);
    const held = await world.admin('GET', `/api/integrations/${integration}/held`);
    expect(held.body.deals).toEqual([
      expect.objectContaining({
        dealId: '42001',
        reason: 'margin',
        detail: expect.stringContaining('above'),
      }),
    ]);
  });
});
