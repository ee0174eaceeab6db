import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CrmWorld, form } from '../support/crm.js';
import { FakeAmocrm, LOST, WON } from '../support/fake-amocrm.js';

/** amoCRM's clock: Unix seconds. */
const at = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const IN_PROGRESS = 7039101;

/**
 * amoCRM webhooks completed through API v4 (a local account, tests/support/fake-amocrm.ts):
 * the Digital Pipeline's bare webhook, a batch with an unreadable lead, the moment of a sale,
 * restored leads, responsible changes, and calls from another account.
 */
describe('amoCRM webhooks read through the API', () => {
  const fake = new FakeAmocrm();
  const world = new CrmWorld({ allowPrivateCrm: true });
  let id: string;
  let webhookUrl: string;

  const post = (fields: [string, string | number][]) =>
    world.postForm(webhookUrl, form([...fields, ...fake.accountFields()]));
  const sales = (like: string) =>
    world.rows(
      `SELECT external_id, participant_id, occurred_at, payload FROM events
        WHERE external_id LIKE $1 ORDER BY id`,
      [like],
    );

  beforeAll(async () => {
    await fake.start();
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM acme',
      settings: { marginRate: 0.2, baseUrl: fake.url, accessToken: fake.token },
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(fake.token);
    id = created.body.id as string;
    webhookUrl = created.body.webhookUrl as string;
    const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
      '5501': 'anna',
      '5502': 'boris',
    });
    expect(mapped.status).toBe(200);
  });

  afterAll(async () => {
    await world.stop();
    await fake.stop();
  });

  it('keeps the token encrypted, never shows it, and takes a new one', async () => {
    const list = await world.admin('GET', '/api/integrations');
    expect(JSON.stringify(list.body)).not.toContain(fake.token);
    const mine = (list.body as unknown as { id: string; settings: Record<string, unknown> }[]).find(
      (integration) => integration.id === id,
    );
    expect(mine?.settings).toMatchObject({ baseUrl: fake.url, accessToken: '••••••' });
    const [row] = await world.rows(
      `SELECT settings::text, access_token_encrypted FROM integrations WHERE id = $1`,
      [id],
    );
    expect(row?.settings).not.toContain(fake.token);
    expect(row?.access_token_encrypted).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row?.access_token_encrypted).not.toContain(fake.token);

    // Without its token an address cannot be used, and the reverse.
    const half = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'half',
      settings: { marginRate: 0.2, source: 'amocrm-half', baseUrl: fake.url },
    });
    expect(half.status).toBe(400);
    expect(half.body.issues).toEqual([
      expect.objectContaining({ path: 'settings.accessToken', code: 'required' }),
    ]);

    // An edit that leaves the token out keeps it; a new one replaces it.
    const renamed = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.2 },
    });
    expect(renamed.body.settings).toMatchObject({ baseUrl: fake.url, accessToken: '••••••' });
    const [kept] = await world.rows(
      `SELECT access_token_encrypted FROM integrations WHERE id = $1`,
      [id],
    );
    expect(kept?.access_token_encrypted).toBe(row?.access_token_encrypted);
    const replaced = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.2, accessToken: `${fake.token}-new` },
    });
    expect(replaced.status).toBe(200);
    expect(JSON.stringify(replaced.body)).not.toContain(fake.token);
    const [changed] = await world.rows(
      `SELECT access_token_encrypted FROM integrations WHERE id = $1`,
      [id],
    );
    expect(changed?.access_token_encrypted).not.toBe(row?.access_token_encrypted);
    // The account does not know that token: a Digital Pipeline call cannot be read with it.
    fake.create({ id: 60001, at: at('2026-03-02T09:00:00Z'), price: 1000 });
    fake.edit(60001, at('2026-03-03T09:00:00Z'), { status_id: WON });
    const answer = await world.postForm(webhookUrl, fake.digitalPipeline(60001, IN_PROGRESS));
    expect(answer).toEqual({ status: 200, body: { leads: 0, failed: 1 } });
    const held = await world.admin('GET', `/api/integrations/${id}/held`);
    expect(held.body.failedFetches).toEqual([
      expect.objectContaining({
        dealId: '60001',
        event: 'leads[status]',
        error: 'amoCRM answered 401 Unauthorized: Unauthorized',
      }),
    ]);
    const restored = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.2, accessToken: fake.token },
    });
    expect(restored.status).toBe(200);
  });

  it('counts a won lead of the Digital Pipeline with its amount and seller read from amoCRM', async () => {
    fake.create({
      id: 61001,
      at: at('2026-03-02T09:00:00Z'),
      price: 50_000,
      status_id: IN_PROGRESS,
    });
    fake.edit(61001, at('2026-03-04T15:30:00Z'), { status_id: WON });
    const answer = await world.postForm(webhookUrl, fake.digitalPipeline(61001, IN_PROGRESS));
    expect(answer).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    // 50,000 × 0.2 = 10,000.00 of margin = 10 points, dated when the lead was won.
    expect(await world.points()).toEqual({ anna: 10, boris: 0 });
    expect(await sales('lead-61001%')).toEqual([
      expect.objectContaining({
        external_id: 'lead-61001',
        participant_id: 'anna',
        occurred_at: new Date('2026-03-04T15:30:00Z'),
        payload: expect.objectContaining({ amountMinor: 5_000_000, marginMinor: 1_000_000 }),
      }),
    ]);
    expect(fake.requests).toEqual(
      expect.arrayContaining([
        '/api/v4/leads/61001',
        expect.stringMatching(/^\/api\/v4\/events\?.*filter%5Btype%5D=lead_status_changed/),
      ]),
    );
  });

  it('applies the good leads of a batch and records the unreadable one with its reason', async () => {
    fake.create({ id: 62001, at: at('2026-03-05T10:00:00Z'), price: 20_000, status_id: WON });
    fake.create({ id: 62002, at: at('2026-03-05T10:00:00Z'), price: 30_000, status_id: WON });
    const before = await world.points();
    const answer = await post([
      ...fake.webhookLead('status', 0, 62001, { old_status_id: IN_PROGRESS }),
      ...fake.webhookLead('status', 1, 62002, { old_status_id: IN_PROGRESS, price: 'a lot' }),
    ]);
    expect(answer).toEqual({ status: 200, body: { leads: 1, failed: 1 } });
    expect(await world.points()).toEqual({ ...before, anna: (before.anna ?? 0) + 4 });
    expect(await sales('lead-6200%')).toEqual([
      expect.objectContaining({ external_id: 'lead-62001' }),
    ]);
    const held = await world.admin('GET', `/api/integrations/${id}/held`);
    expect(held.body.failedFetches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          dealId: '62002',
          event: 'leads[status]',
          error: 'leads[status][1][price]: must be an amount in major units, e.g. 1500.50',
        }),
      ]),
    );
  });

  it('keeps the date of a won deal edited weeks later, and corrects its amount there', async () => {
    fake.create({
      id: 63001,
      at: at('2026-03-03T08:00:00Z'),
      price: 40_000,
      status_id: IN_PROGRESS,
    });
    fake.edit(63001, at('2026-03-06T12:00:00Z'), { status_id: WON });
    await post(fake.webhookLead('status', 0, 63001, { old_status_id: IN_PROGRESS }));
    const before = await world.points();
    // April: outside the contest's month. The sale stays in March, at its new amount.
    fake.edit(63001, at('2026-04-02T09:00:00Z'), { price: 60_000 });
    const answer = await post(fake.webhookLead('update', 0, 63001));
    expect(answer).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    expect(await sales('lead-63001%')).toEqual([
      expect.objectContaining({
        external_id: 'lead-63001',
        occurred_at: new Date('2026-03-06T12:00:00Z'),
      }),
      expect.objectContaining({
        external_id: 'lead-63001/reversal',
        occurred_at: new Date('2026-03-06T12:00:00Z'),
      }),
      expect.objectContaining({
        external_id: 'lead-63001/2',
        occurred_at: new Date('2026-03-06T12:00:00Z'),
        payload: expect.objectContaining({ amountMinor: 6_000_000 }),
      }),
    ]);
    // 8 points became 12.
    expect(await world.points()).toEqual({ ...before, anna: (before.anna ?? 0) + 4 });
  });

  it('counts a restored lead again, at the moment it was won', async () => {
    fake.create({
      id: 64001,
      at: at('2026-03-07T08:00:00Z'),
      price: 10_000,
      status_id: IN_PROGRESS,
    });
    fake.edit(64001, at('2026-03-07T10:00:00Z'), { status_id: WON });
    await post(fake.webhookLead('status', 0, 64001, { old_status_id: IN_PROGRESS }));
    const counted = await world.points();
    await post([
      ['leads[delete][0][id]', 64001],
      ['leads[delete][0][status_id]', WON],
    ]);
    expect(await world.points()).toEqual({ ...counted, anna: (counted.anna ?? 0) - 2 });
    // Restored after the deletion (dated by Podium's clock, 10 March 12:00).
    fake.edit(64001, at('2026-03-10T12:30:00Z'), {});
    const answer = await post(fake.webhookLead('restore', 0, 64001));
    expect(answer).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    expect(await world.points()).toEqual(counted);
    // The restore webhook's last_modified is the restore: the moment comes from the lead's
    // status changes (events API).
    expect(await sales('lead-64001/2')).toEqual([
      expect.objectContaining({
        participant_id: 'anna',
        occurred_at: new Date('2026-03-07T10:00:00Z'),
      }),
    ]);
    expect(fake.requests.at(-1)).toMatch(
      /^\/api\/v4\/events\?.*filter%5Btype%5D=lead_status_changed&filter%5Bentity%5D=lead&filter%5Bentity_id%5D%5B%5D=64001$/,
    );
  });

  it('moves a sale to the new responsible, at the moment it was won', async () => {
    fake.create({
      id: 65001,
      at: at('2026-03-02T10:00:00Z'),
      price: 25_000,
      status_id: IN_PROGRESS,
    });
    fake.edit(65001, at('2026-03-03T10:00:00Z'), { status_id: WON });
    await post(fake.webhookLead('status', 0, 65001, { old_status_id: IN_PROGRESS }));
    const before = await world.points();
    fake.edit(65001, at('2026-03-09T11:00:00Z'), { responsible_user_id: 5502 });
    const answer = await post(
      fake.webhookLead('responsible', 0, 65001, { old_responsible_user_id: 5501 }),
    );
    expect(answer).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
    expect(await world.points()).toEqual({
      anna: (before.anna ?? 0) - 5,
      boris: (before.boris ?? 0) + 5,
    });
    expect(await sales('lead-65001/2')).toEqual([
      expect.objectContaining({
        participant_id: 'boris',
        occurred_at: new Date('2026-03-03T10:00:00Z'),
      }),
    ]);
  });

  it('refuses a call from another amoCRM account with 401, writing nothing', async () => {
    fake.create({ id: 66001, at: at('2026-03-08T10:00:00Z'), price: 90_000, status_id: WON });
    const before = await world.writes();
    for (const account of [
      { id: 11111111, subdomain: fake.account.subdomain },
      { id: fake.account.id, subdomain: 'intruder' },
    ]) {
      const answer = await world.postForm(
        webhookUrl,
        form([
          ...fake.webhookLead('status', 0, 66001, { old_status_id: LOST }),
          ...fake.accountFields(account),
        ]),
      );
      expect(answer.status).toBe(401);
      expect(answer.body.message).toMatch(/^account\[(id|subdomain)\] is not the amoCRM account/);
    }
    const bare = await world.postForm(
      webhookUrl,
      form(fake.webhookLead('status', 0, 66001, { old_status_id: LOST })),
    );
    expect(bare.status).toBe(401);
    expect(await world.writes()).toEqual(before);
    const [row] = await world.rows(`SELECT crm_account FROM integrations WHERE id = $1`, [id]);
    expect(row?.crm_account).toEqual({ id: String(fake.account.id), subdomain: 'acme' });

    // An account set in the settings wins over the one learned from the first call.
    const moved = { id: 11111111, subdomain: fake.account.subdomain };
    const set = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.2, accountId: moved.id },
    });
    expect(set.status).toBe(200);
    const call = (account: typeof moved) =>
      world.postForm(
        webhookUrl,
        form([
          ...fake.webhookLead('status', 0, 66001, { old_status_id: LOST }),
          ...fake.accountFields(account),
        ]),
      );
    expect((await call(fake.account)).status).toBe(401);
    expect(await call(moved)).toEqual({ status: 200, body: { leads: 1, failed: 0 } });
  });
});
