import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callBitrix24, PortalError } from '../../apps/api/src/integrations/crm/bitrix24-client.js';
import { CrmWorld, form } from '../support/crm.js';
import { FakeBitrix24, PORTAL_ERRORS, wonDeal, type FakeDeal } from '../support/fake-bitrix24.js';

const APPLICATION_TOKEN = 'p4r7a1l-t0ken-9x2vq7c1m4';
const MEMBER_ID = 'a223c6b3710f85df22e9377d6c4f7553';

/** Bitrix24's outgoing webhook call, field for field as Bitrix24 posts it. */
function call(
  event: string,
  dealId: string,
  portal: { domain?: string; memberId?: string } = {},
): string {
  const domain = portal.domain ?? 'acme.bitrix24.ru';
  return form([
    ['event', event],
    ['event_handler_id', '27'],
    ['data[FIELDS][ID]', dealId],
    ['ts', Math.floor(new Date('2026-03-10T12:00:00Z').getTime() / 1000)],
    ['auth[domain]', domain],
    ['auth[client_endpoint]', `https://${domain}/rest/`],
    ['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
    ['auth[member_id]', portal.memberId ?? MEMBER_ID],
    ['auth[application_token]', APPLICATION_TOKEN],
  ]);
}

/** A won deal of 10,000.00 whose planned close date (9 March) is not the day it was won. */
function deal(id: string, fields: Partial<FakeDeal> = {}): FakeDeal {
  return wonDeal(id, {
    OPPORTUNITY: '10000.00',
    BEGINDATE: '2026-03-02T03:00:00+03:00',
    CLOSEDATE: '2026-03-09T03:00:00+03:00',
    DATE_CREATE: '2026-03-02T10:15:00+03:00',
    ...fields,
  });
}

describe('Bitrix24 portal fidelity', () => {
  const world = new CrmWorld({ allowPrivateCrm: true });
  const portal = new FakeBitrix24();
  let id: string;
  let webhookUrl: string;

  const post = (body: string, url = webhookUrl) => world.postForm(url, body);
  const pending = async () =>
    (await world.admin('GET', `/api/integrations/${id}/held`)).body.pendingFetches as number;
  const occurredAt = async (dealId: string) =>
    (await world.rows(`SELECT payload FROM events WHERE external_id = $1`, [`deal-${dealId}`]))[0]
      ?.payload as { occurredAt: string } | undefined;
  /**
   * Queues reads as the webhook does, a row and a job each, with only the first job due now (the
   * others' in an hour): its run takes the other reads along, in one call.
   */
  const queueTogether = async (dealIds: string[]) => {
    const rows = await world.rows(
      `INSERT INTO crm_fetch_jobs (integration_id, deal_id, event, received_at)
       SELECT $1, deal_id, 'ONCRMDEALUPDATE', now() FROM unnest($2::text[]) AS deal_id
       RETURNING id`,
      [id, dealIds],
    );
    const ids = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
    for (const [index, fetchId] of ids.entries()) {
      await world.rows(
        `INSERT INTO pgboss.job (name, data, start_after, retry_limit, retry_delay, retry_backoff)
         VALUES ('bitrix24-read', $1, now() + $2::interval, 13, 1, true)`,
        [{ fetchId }, index === 0 ? '0 seconds' : '1 hour'],
      );
    }
  };
  const reads = (dealIds: string[]) =>
    world.rows(
      `SELECT deal_id, state, attempts, last_error FROM crm_fetch_jobs
        WHERE integration_id = $1 AND deal_id = ANY($2::text[]) ORDER BY deal_id`,
      [id, dealIds],
    );
  const settings = async (integrationId: string) =>
    (await world.rows('SELECT settings FROM integrations WHERE id = $1', [integrationId]))[0]
      ?.settings as Record<string, unknown>;

  beforeAll(async () => {
    await portal.start();
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 acme',
      settings: {
        marginRate: 0.2,
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        timeoutMs: 5_000,
      },
    });
    expect(created.status).toBe(201);
    id = created.body.id as string;
    webhookUrl = created.body.webhookUrl as string;
    await world.admin('PUT', `/api/integrations/${id}/mappings`, { '7': 'anna', '9': 'boris' });
  });

  afterAll(async () => {
    await world.stop();
    await portal.stop();
  });

  it('learns the portal from the first call and refuses, writing nothing, calls of another', async () => {
    expect(await settings(id)).not.toHaveProperty('domain');
    // A portal id that is not one teaches nothing.
    const malformed = await post(call('ONCRMDEALUPDATE', '1', { memberId: 'a22-3c6b' }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues).toEqual([expect.objectContaining({ path: 'auth[member_id]' })]);
    expect(await settings(id)).not.toHaveProperty('memberId');
    portal.deals.set('1', deal('1'));
    await expect(post(call('ONCRMDEALUPDATE', '1'))).resolves.toMatchObject({ status: 200 });
    expect(await settings(id)).toMatchObject({ domain: 'acme.bitrix24.ru', memberId: MEMBER_ID });
    await world.eventually(pending, (count) => count === 0);
    const before = await world.writes();
    const stored = await settings(id);
    const calls = portal.calls.length;
    const other = await post(call('ONCRMDEALUPDATE', '1', { domain: 'evil.bitrix24.ru' }));
    expect(other.status).toBe(401);
    expect(other.body.message).toMatch(/auth\[domain\]/);
    const member = await post(call('ONCRMDEALUPDATE', '1', { memberId: 'b' + MEMBER_ID.slice(1) }));
    expect(member.status).toBe(401);
    expect(member.body.message).toMatch(/auth\[member_id\]/);
    const deleted = await post(call('ONCRMDEALDELETE', '1', { domain: 'evil.bitrix24.ru' }));
    expect(deleted.status).toBe(401);
    expect(await world.writes()).toEqual(before);
    expect(await settings(id)).toEqual(stored);
    expect(portal.calls.length).toBe(calls);
    // A settings change that leaves the portal out keeps what was learned.
    const patched = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.2, timeoutMs: 5_000 },
    });
    expect(patched.status).toBe(200);
    expect(await settings(id)).toMatchObject({ domain: 'acme.bitrix24.ru', memberId: MEMBER_ID });
  });

  it('takes the portal from the settings, and names a bad time zone or portal', async () => {
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 set by hand',
      settings: {
        marginRate: 0.2,
        source: 'b24-by-hand',
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        domain: 'Acme.Bitrix24.ru',
        memberId: MEMBER_ID,
      },
    });
    expect(created.status).toBe(201);
    const url = created.body.webhookUrl as string;
    const before = await world.writes();
    const other = await post(call('ONCRMDEALUPDATE', '1', { domain: 'beta.bitrix24.ru' }), url);
    expect(other.status).toBe(401);
    expect(await world.writes()).toEqual(before);
    await expect(post(call('ONCRMDEALUPDATE', '1'), url)).resolves.toMatchObject({ status: 200 });
    const bad = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'bad',
      settings: {
        marginRate: 0.2,
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        timeZone: 'Moscow',
        domain: 'https://acme.bitrix24.ru/',
      },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual([
      'settings.domain',
      'settings.timeZone',
    ]);
    await world.admin('DELETE', `/api/integrations/${created.body.id as string}`);
  });

  it('dates a won deal by the moment it entered its won stage, not by its planned close date', async () => {
    const points = await world.points();
    // Won on 31 March; CLOSEDATE still the planned 9 April.
    portal.deals.set(
      '31',
      deal('31', {
        CLOSEDATE: '2026-04-09T03:00:00+03:00',
        MOVED_TIME: '2026-03-31T18:40:00+03:00',
        DATE_MODIFY: '2026-03-31T18:40:00+03:00',
      }),
    );
    // No stage time: the close date's calendar day in the portal's zone, whatever its offset.
    portal.deals.set('32', deal('32', { MOVED_TIME: '', CLOSEDATE: '2026-03-31T00:00:00+05:00' }));
    // Neither: the modification time.
    portal.deals.set('33', deal('33', { MOVED_TIME: '', CLOSEDATE: '' }));
    for (const dealId of ['31', '32', '33']) {
      await expect(post(call('ONCRMDEALUPDATE', dealId))).resolves.toMatchObject({ status: 200 });
    }
    await world.eventually(pending, (count) => count === 0);
    expect(await occurredAt('31')).toMatchObject({ occurredAt: '2026-03-31T18:40:00+03:00' });
    expect(await occurredAt('32')).toMatchObject({ occurredAt: '2026-03-31T12:00:00+03:00' });
    expect(await occurredAt('33')).toMatchObject({ occurredAt: '2026-03-05T18:05:00+03:00' });
    // Three sales of 10,000.00 × 0.2 in March: 6 points (one per 1,000.00 of margin).
    expect((await world.points()).anna).toBe((points.anna ?? 0) + 6);
  });

  it('reads a deal moved to another funnel', async () => {
    portal.deals.set('40', deal('40', { CATEGORY_ID: '3', STAGE_ID: 'C3:WON' }));
    const moved = form([
      ['event', 'ONCRMDEALMOVETOCATEGORY'],
      ['event_handler_id', '655'],
      ['data[FIELDS][ID]', '40'],
      ['data[FIELDS][CATEGORY_ID]', '3'],
      ['data[FIELDS][STAGE_ID]', 'C3:WON'],
      ['ts', '1736424182'],
      ['auth[domain]', 'acme.bitrix24.ru'],
      ['auth[member_id]', MEMBER_ID],
      ['auth[application_token]', APPLICATION_TOKEN],
    ]);
    await expect(post(moved)).resolves.toEqual({
      status: 200,
      body: { queued: true, dealId: '40' },
    });
    await world.eventually(pending, (count) => count === 0);
    expect(await occurredAt('40')).toBeDefined();
  });

  it("retries what heals, gives up on what cannot, each in the portal's words", async () => {
    portal.deals.set('50', deal('50'));
    const options = { timeoutMs: 5_000, allowPrivate: true };
    const reads = () => portal.calls.filter((read) => read.id === '50').length;
    portal.fail('crm.deal.get', 2, PORTAL_ERRORS.queryLimit);
    await expect(
      callBitrix24(portal.webhookUrl, 'crm.deal.get', { id: '50' }, options),
    ).resolves.toMatchObject({ result: { ID: '50' } });
    expect(reads()).toBe(3);
    const failures = [
      [PORTAL_ERRORS.notFound, 'the portal answered 400: Not found', false],
      [
        PORTAL_ERRORS.expiredToken,
        'the portal answered 401 expired_token: The access token provided has expired.',
        false,
      ],
      [
        PORTAL_ERRORS.invalidToken,
        'the portal answered 401 invalid_token: Token expired or invalid',
        false,
      ],
      [
        PORTAL_ERRORS.accessDenied,
        'the portal answered 403 ACCESS_DENIED: REST API is available only on commercial plans',
        false,
      ],
      // Blocked for minutes: left to the caller's later retry, never tried again at once.
      [
        PORTAL_ERRORS.operationTime,
        'the portal answered 429 OPERATION_TIME_LIMIT: Method is blocked due to operation time limit.',
        true,
      ],
    ] as const;
    for (const [failure, message, retryable] of failures) {
      const before = reads();
      portal.fail('crm.deal.get', 1, failure);
      const error = await callBitrix24(
        portal.webhookUrl,
        'crm.deal.get',
        { id: '50' },
        options,
      ).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(PortalError);
      expect({
        message: (error as PortalError).message,
        retryable: (error as PortalError).retryable,
      }).toEqual({ message, retryable });
      expect(reads()).toBe(before + 1);
    }
    // Retries spent: the last failure, in the portal's words.
    portal.fail('crm.deal.get', 2, PORTAL_ERRORS.internal);
    await expect(
      callBitrix24(portal.webhookUrl, 'crm.deal.get', { id: '50' }, { ...options, retries: 1 }),
    ).rejects.toThrow('the portal answered 500 INTERNAL_SERVER_ERROR: Internal server error');
  }, 60_000);

  it("applies a batch's deals and fails the one the portal refuses, in the portal's words", async () => {
    // 61 is not on the portal: its command answers `{"error":"","error_description":"Not found"}`
    // under result_error, the call itself 200.
    portal.deals.set('60', deal('60'));
    portal.deals.set('62', deal('62'));
    const calls = portal.calls.length;
    await queueTogether(['60', '61', '62']);
    await world.eventually(pending, (count) => count === 0);
    expect(portal.calls.slice(calls).map((read) => [read.path, [...read.ids].sort()])).toEqual([
      ['/rest/1/<code>/batch.json', ['60', '61', '62']],
    ]);
    expect(await reads(['60', '61', '62'])).toEqual([
      { deal_id: '60', state: 'done', attempts: 1, last_error: null },
      { deal_id: '61', state: 'failed', attempts: 1, last_error: 'the portal answered: Not found' },
      { deal_id: '62', state: 'done', attempts: 1, last_error: null },
    ]);
    expect(await occurredAt('60')).toBeDefined();
    expect(await occurredAt('61')).toBeUndefined();
    expect(await occurredAt('62')).toBeDefined();
    const held = await world.admin('GET', `/api/integrations/${id}/held`);
    expect(held.body.failedFetches).toEqual([
      expect.objectContaining({ dealId: '61', error: 'the portal answered: Not found' }),
    ]);
  });

  it('retries a batch that fails as a whole after the backoff, with the reads it carried', async () => {
    portal.deals.set('63', deal('63'));
    portal.deals.set('64', deal('64'));
    portal.fail('batch', 1, PORTAL_ERRORS.queryLimit);
    const calls = portal.calls.length;
    await queueTogether(['63', '64']);
    await world.eventually(pending, (count) => count === 0);
    const batches = portal.calls.slice(calls);
    expect(batches.map((read) => [...read.ids].sort())).toEqual([
      ['63', '64'],
      ['63', '64'],
    ]);
    // The second call came after the job system's first backoff (at least 1 s).
    expect((batches[1]?.at ?? 0) - (batches[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    // 64 was given back when the call failed: one try counted, in the call that read it.
    expect(await reads(['63', '64'])).toEqual([
      { deal_id: '63', state: 'done', attempts: 2, last_error: null },
      { deal_id: '64', state: 'done', attempts: 1, last_error: null },
    ]);
    expect(await occurredAt('63')).toBeDefined();
    expect(await occurredAt('64')).toBeDefined();
  });

  it('reads 500 deals changed at once without a QUERY_LIMIT_EXCEEDED, and counts them all', async () => {
    const ids = Array.from({ length: 500 }, (_, index) => String(1_000 + index));
    for (const dealId of ids) portal.deals.set(dealId, deal(dealId, { ASSIGNED_BY_ID: '9' }));
    const points = await world.points();
    const refusals = portal.limitRefusals;
    portal.maxActive = 0;
    // Bitrix24 sends a call per deal, all at once ("if a thousand deals are changed
    // simultaneously, the handler will receive a thousand calls", REST docs events).
    const answers = await Promise.all(ids.map((dealId) => post(call('ONCRMDEALUPDATE', dealId))));
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    await world.eventually(pending, (count) => count === 0);
    const requests = portal.calls.filter((c) => c.ids.some((dealId) => ids.includes(dealId)));
    const read = new Set(requests.flatMap((c) => c.ids).filter((dealId) => ids.includes(dealId)));
    expect(read.size).toBe(500);
    // Up to 50 deals a request: 10 requests, more when a run reads what the others left.
    expect(requests.length).toBeLessThan(50);
    expect(portal.limitRefusals - refusals).toBe(0);
    expect(portal.maxActive).toBe(1);
    const sales = await world.rows(
      `SELECT count(*)::int AS count FROM events WHERE external_id = ANY($1::text[])`,
      [ids.map((dealId) => `deal-${dealId}`)],
    );
    expect(sales).toEqual([{ count: 500 }]);
    // 500 × 10,000.00 × 0.2 = 1,000,000.00 of margin: 1,000 points for Boris.
    expect((await world.points()).boris).toBe((points.boris ?? 0) + 1_000);
  }, 300_000);
});
