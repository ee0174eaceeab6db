import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ADVISORY_LOCKS } from '../../apps/api/src/database/cluster/advisory-lock.js';
import { createTestApp, login, TEST_ADMIN } from '../support/app.js';
import { call as api, issuePaths } from '../support/http.js';
import { CrmWorld, form } from '../support/crm.js';
import { FakeBitrix24, wonDeal, type FakeDeal } from '../support/fake-bitrix24.js';

const APPLICATION_TOKEN = 'k9x2vq7c1m4r8t0w5y3z6b2n';

/** Bitrix24's outgoing webhook call, field for field as Bitrix24 posts it. */
function call(event: string, dealId: string, token = APPLICATION_TOKEN): string {
  return form([
    ['event', event],
    ['event_handler_id', '27'],
    ['data[FIELDS][ID]', dealId],
    ['ts', Math.floor(new Date('2026-03-10T12:00:00Z').getTime() / 1000)],
    ['auth[domain]', 'acme.bitrix24.ru'],
    ['auth[client_endpoint]', 'https://acme.bitrix24.ru/rest/'],
    ['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
    ['auth[member_id]', 'a223c6b3710f85df22e9377d6c4f7553'],
    ['auth[application_token]', token],
  ]);
}

/** A won deal of 200,000.00 as `crm.deal.get` answers it. */
function deal(id: string, fields: Partial<FakeDeal>): FakeDeal {
  return wonDeal(id, { OPPORTUNITY: '200000.00', IS_MANUAL_OPPORTUNITY: 'N', ...fields });
}

describe('Bitrix24 webhooks', () => {
  // The fake portal listens on 127.0.0.1: a private address Podium refuses unless told.
  const world = new CrmWorld({ allowPrivateCrm: true });
  const portal = new FakeBitrix24();
  let id: string;
  let webhookUrl: string;
  let secret: string;

  const post = (body: string, url = webhookUrl) => world.postForm(url, body);
  /** Moves the clock on, so reads waiting for their backoff become due. */
  const later = (ms = 5_000) =>
    world.clock.set(new Date(world.clock.now().getTime() + ms).toISOString());
  const settled = () =>
    world.eventually(
      async () => {
        later();
        return (await world.admin('GET', `/api/integrations/${id}/held`)).body.pendingFetches;
      },
      (pending) => pending === 0,
    );

  beforeAll(async () => {
    await portal.start();
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 acme',
      settings: {
        marginRate: 0.2,
        currency: 'RUB',
        applicationToken: APPLICATION_TOKEN,
        portalWebhookUrl: portal.webhookUrl,
        timeoutMs: 1_000,
      },
    });
    expect(created.status).toBe(201);
    id = created.body.id as string;
    secret = created.body.secret as string;
    webhookUrl = created.body.webhookUrl as string;
    expect(webhookUrl).toBe(`${world.sut.url}/api/webhooks/bitrix24/${id}/${secret}`);
    await world.admin('PUT', `/api/integrations/${id}/mappings`, { '7': 'anna' });
  });

  afterAll(async () => {
    await world.stop();
    await portal.stop();
  });

  it('stores the credentials hashed or masked and names bad settings', async () => {
    const list = await world.admin('GET', '/api/integrations');
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(portal.code);
    expect(text).not.toContain(APPLICATION_TOKEN);
    expect(text).not.toContain(secret);
    const [row] = await world.rows(
      'SELECT settings, application_token_hash, secret_hash FROM integrations WHERE id = $1',
      [id],
    );
    expect(JSON.stringify(row?.settings)).not.toContain(APPLICATION_TOKEN);
    expect(row?.application_token_hash).toMatch(/^[0-9a-f]{64}$/);
    const bad = await world.admin('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'bad',
      settings: { marginField: 'MARGIN', portalWebhookUrl: 'ftp://x' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual([
      'settings.applicationToken',
      'settings.marginField',
      'settings.portalWebhookUrl',
    ]);
  });

  it('answers at once while the portal is slow, then counts the won deal', async () => {
    portal.deals.set('42', deal('42', {}));
    portal.hold();
    const calls = portal.calls.length;
    const answer = await post(call('ONCRMDEALUPDATE', '42'));
    expect(answer).toEqual({ status: 200, body: { queued: true, dealId: '42' } });
    // The portal has the read and has not answered: the webhook's answer did not wait for it.
    await portal.waitForCalls(calls + 1);
    expect(portal.calls.at(-1)).toMatchObject({ path: '/rest/1/<code>/batch.json', ids: ['42'] });
    expect(await world.points()).toEqual({ anna: 0, boris: 0 });
    portal.release();
    // 200,000.00 × 0.2 = 40,000.00 of margin = 40 points. (On a machine so slow that the held
    // read outlived its 1 s timeout, the retry comes once the clock moves on.)
    await world.eventually(
      async () => {
        later();
        return world.points();
      },
      (points) => points.anna === 40,
    );
    const [sale] = await world.rows(
      `SELECT source, payload FROM events WHERE external_id = 'deal-42'`,
    );
    expect(sale).toMatchObject({
      source: 'bitrix24',
      payload: expect.objectContaining({
        participantId: 'anna',
        amountMinor: 20_000_000,
        marginMinor: 4_000_000,
        occurredAt: '2026-03-05T18:00:00+03:00',
      }),
    });
  });

  it('changes nothing when the same webhook comes again', async () => {
    const before = await world.writes();
    const calls = portal.calls.length;
    await expect(post(call('ONCRMDEALUPDATE', '42'))).resolves.toMatchObject({ status: 200 });
    await portal.waitForCalls(calls + 1);
    await settled();
    const after = await world.writes();
    expect(after).toEqual({ ...before, crm_fetch_jobs: (before.crm_fetch_jobs ?? 0) + 1 });
    expect(await world.points()).toEqual({ anna: 40, boris: 0 });
  });

  it('takes the points back when the deal is no longer won', async () => {
    portal.deals.set(
      '42',
      deal('42', {
        STAGE_ID: 'EXECUTING',
        STAGE_SEMANTIC_ID: 'P',
        DATE_MODIFY: '2026-03-07T10:00:00+03:00',
      }),
    );
    await post(call('ONCRMDEALUPDATE', '42'));
    await world.eventually(
      () => world.points(),
      (points) => points.anna === 0,
    );
    const [reversal] = await world.rows(
      `SELECT payload FROM events WHERE external_id = 'deal-42/reversal'`,
    );
    expect(reversal?.payload).toMatchObject({ type: 'reversal', reversesExternalId: 'deal-42' });
  });

  it('retries QUERY_LIMIT_EXCEEDED, INTERNAL_SERVER_ERROR, a broken gateway and a timeout with backoff, then applies the deal', async () => {
    portal.deals.set('43', deal('43', { OPPORTUNITY: '100000.50', ASSIGNED_BY_ID: '7' }));
    portal.script.push(
      {
        kind: 'error',
        status: 503,
        error: 'QUERY_LIMIT_EXCEEDED',
        description: 'Too many requests',
      },
      {
        kind: 'error',
        status: 500,
        error: 'INTERNAL_SERVER_ERROR',
        description: 'Internal server error',
      },
      { kind: 'broken' },
      { kind: 'hang' },
    );
    const calls = portal.calls.length;
    const answer = await post(call('ONCRMDEALADD', '43'));
    expect(answer.status).toBe(200);
    await portal.waitForCalls(calls + 1);
    // The first failure is recorded and the read waits for its backoff (the clock stands still).
    const [job] = await world.eventually(
      () =>
        world.rows(`SELECT attempts, last_error, state FROM crm_fetch_jobs WHERE deal_id = '43'`),
      (rows) => rows[0]?.last_error !== null && rows[0]?.last_error !== undefined,
    );
    expect(job).toMatchObject({
      attempts: 1,
      state: 'pending',
      last_error: 'the portal answered 503 QUERY_LIMIT_EXCEEDED: Too many requests',
    });
    expect(portal.calls.length).toBe(calls + 1);
    // 100,000.50 → 10,000,050 minor × 0.2 = 2,000,010 minor: 20 points.
    await world.eventually(
      async () => {
        later();
        return world.points();
      },
      (points) => points.anna === 20,
    );
    expect(portal.calls.length).toBe(calls + 5);
    const [done] = await world.rows(
      `SELECT attempts, state FROM crm_fetch_jobs WHERE deal_id = '43'`,
    );
    expect(done).toEqual({ attempts: 5, state: 'done' });
    // Each retry waited at least its backoff, doubling from 1 s: on the database's clock, so the
    // contest clock moving on did not hurry it.
    const reads = portal.calls.filter((read) => read.ids.includes('43')).map((read) => read.at);
    expect(reads).toHaveLength(5);
    const waits = reads.slice(1).map((at, index) => at - (reads[index] as number));
    waits.forEach((wait, index) => expect(wait).toBeGreaterThanOrEqual(1_000 * 2 ** index));
    // Four backoffs of at most 2, 4, 8 and 16 s, and five reads of at most the 1 s timeout.
  }, 120_000);

  it('gives up on NOT_FOUND and ACCESS_DENIED at once and lists them for the admin', async () => {
    portal.script.push({
      kind: 'error',
      status: 403,
      error: 'ACCESS_DENIED',
      description: 'Access denied.',
    });
    const calls = portal.calls.length;
    await post(call('ONCRMDEALUPDATE', '404'));
    await post(call('ONCRMDEALUPDATE', '405'));
    await settled();
    // Read once each, together or apart as the reads came.
    const reads = portal.calls.slice(calls).flatMap((read) => read.ids);
    expect(reads.sort()).toEqual(['404', '405']);
    const held = await world.admin('GET', `/api/integrations/${id}/held`);
    // The portal's code for a missing deal is empty: the message is still the portal's.
    const refused = expect.stringMatching(/^the portal answered(: Not found| 403 ACCESS_DENIED)/);
    expect(held.body.failedFetches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ dealId: '404', attempts: 1, error: refused }),
        expect.objectContaining({ dealId: '405', attempts: 1, error: refused }),
      ]),
    );
    expect(JSON.stringify(held.body)).not.toContain(portal.code);
  });

  it('holds a deal of an unmapped user or in another currency, and applies the first once mapped', async () => {
    portal.deals.set('50', deal('50', { ASSIGNED_BY_ID: '9', OPPORTUNITY: '50000' }));
    portal.deals.set('51', deal('51', { ASSIGNED_BY_ID: '7', CURRENCY_ID: 'USD' }));
    await post(call('ONCRMDEALUPDATE', '50'));
    await post(call('ONCRMDEALUPDATE', '51'));
    await settled();
    const held = await world.admin('GET', `/api/integrations/${id}/held`);
    expect(held.body.deals).toEqual([
      expect.objectContaining({ dealId: '50', crmUserId: '9', reason: 'unmapped' }),
      expect.objectContaining({
        dealId: '51',
        reason: 'currency',
        detail: 'the deal is in USD, the integration counts RUB',
      }),
    ]);
    const points = await world.points();
    await world.admin('PUT', `/api/integrations/${id}/mappings`, { '7': 'anna', '9': 'boris' });
    // 50,000 × 0.2 = 10,000.00 of margin.
    expect(await world.points()).toEqual({ ...points, boris: 10 });
    expect((await world.admin('GET', `/api/integrations/${id}/held`)).body.deals).toEqual([
      expect.objectContaining({ dealId: '51', reason: 'currency' }),
    ]);
  });

  it('reverses a won deal that is deleted', async () => {
    const points = await world.points();
    await post(call('ONCRMDEALDELETE', '50'));
    expect(await world.points()).toEqual({ ...points, boris: 0 });
  });

  it('refuses a wrong application token or secret with 401, writing nothing', async () => {
    const before = await world.writes();
    const calls = portal.calls.length;
    await expect(post(call('ONCRMDEALUPDATE', '42', 'not-the-token'))).resolves.toMatchObject({
      status: 401,
    });
    await expect(post(call('ONCRMDEALUPDATE', '42', ''))).resolves.toMatchObject({ status: 401 });
    await expect(
      post(call('ONCRMDEALUPDATE', '42'), webhookUrl.replace(secret, 'crm_wrong')),
    ).resolves.toMatchObject({ status: 401 });
    await expect(post(call('ONCRMDEALDELETE', '43', 'not-the-token'))).resolves.toMatchObject({
      status: 401,
    });
    expect(await world.writes()).toEqual(before);
    expect(portal.calls.length).toBe(calls);
  });

  it('takes new settings and a new application token by PATCH, keeping the stored credentials otherwise', async () => {
    const renamed = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.3, currency: 'RUB', timeoutMs: 1_000 },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.settings).toMatchObject({
      marginRate: 0.3,
      portalWebhookUrl: expect.stringContaining('••••••'),
    });
    const source = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.3, source: 'b24-other' },
    });
    expect(source.status).toBe(400);
    expect(source.body.issues).toEqual([expect.objectContaining({ path: 'settings.source' })]);
    // The portal URL was kept: a won deal is still read, now at 30 %.
    portal.deals.set('70', deal('70', { OPPORTUNITY: '10000', ASSIGNED_BY_ID: '9' }));
    const points = await world.points();
    await post(call('ONCRMDEALUPDATE', '70'));
    await world.eventually(
      () => world.points(),
      (now) => now.boris === (points.boris ?? 0) + 3,
    );
    // A new application token: the old one is refused from then on.
    const token = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.3, timeoutMs: 1_000, applicationToken: 'n3w-t0ken-after-rotation' },
    });
    expect(token.status).toBe(200);
    await expect(post(call('ONCRMDEALUPDATE', '70'))).resolves.toMatchObject({ status: 401 });
    await expect(
      post(call('ONCRMDEALUPDATE', '70', 'n3w-t0ken-after-rotation')),
    ).resolves.toMatchObject({ status: 200 });
    await settled();
    await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { marginRate: 0.2, timeoutMs: 1_000, applicationToken: APPLICATION_TOKEN },
    });
  });

  it('keeps an acknowledged webhook across a restart of the API', async () => {
    portal.deals.set('60', deal('60', { OPPORTUNITY: '10000', ASSIGNED_BY_ID: '9' }));
    portal.script.push({ kind: 'hang' });
    const points = await world.points();
    const calls = portal.calls.length;
    await expect(post(call('ONCRMDEALUPDATE', '60'))).resolves.toMatchObject({ status: 200 });
    await portal.waitForCalls(calls + 1);
    // The read times out and waits for its backoff; the API goes away meanwhile.
    await world.eventually(
      () => world.rows(`SELECT last_error FROM crm_fetch_jobs WHERE deal_id = '60'`),
      (rows) => typeof rows[0]?.last_error === 'string',
    );
    await world.sut.close();
    world.sut = await createTestApp(
      world.database.url,
      { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password, allowPrivateCrm: true },
      { clock: world.clock },
    );
    // 10,000 × 0.2 = 2,000.00 of margin: 2 points more for Boris.
    await world.eventually(
      async () => {
        later();
        return world.points();
      },
      (now) => now.boris === (points.boris ?? 0) + 2,
    );
  });

  it('takes again a read whose taker died, once its run has expired', async () => {
    portal.deals.set('80', deal('80', { OPPORTUNITY: '10000', ASSIGNED_BY_ID: '9' }));
    const points = await world.points();
    // As a process leaves a read when it dies mid-read: begun once, its job active in the job
    // system, here with a run limit of 2 s (the queue's is two minutes).
    const [read] = await world.rows(
      `INSERT INTO crm_fetch_jobs (integration_id, deal_id, event, attempts, received_at)
       VALUES ($1, '80', 'ONCRMDEALUPDATE', 1, now()) RETURNING id`,
      [id],
    );
    await world.rows(
      `INSERT INTO pgboss.job (name, data, state, started_on, expire_in, retry_limit, retry_delay,
                               retry_backoff)
       VALUES ('bitrix24-read', $1, 'active', now(), interval '2 seconds', 13, 1, true)`,
      [{ fetchId: Number(read?.id) }],
    );
    const calls = portal.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(portal.calls.length).toBe(calls);
    // The job system's maintenance (every 15 s) fails the expired run; it is retried.
    // 10,000 × 0.2 = 2,000.00 of margin.
    await world.eventually(
      () => world.points(),
      (current) => current.boris === (points.boris ?? 0) + 2,
    );
    const [done] = await world.rows(
      `SELECT attempts, state FROM crm_fetch_jobs WHERE deal_id = '80'`,
    );
    expect(done).toEqual({ attempts: 2, state: 'done' });
  });

  it('waits for the run that took a read along, and reads it once that run has died', async () => {
    portal.deals.set('81', deal('81', { OPPORTUNITY: '10000', ASSIGNED_BY_ID: '9' }));
    const points = await world.points();
    // As a run leaves a read it took along with its own when its process dies mid-read: begun
    // once, and locked on that run's connection (here a connection of the test's).
    const [read] = await world.rows(
      `INSERT INTO crm_fetch_jobs (integration_id, deal_id, event, attempts, received_at)
       VALUES ($1, '81', 'ONCRMDEALUPDATE', 1, now()) RETURNING id`,
      [id],
    );
    const taker = new pg.Client({ connectionString: world.database.url });
    await taker.connect();
    try {
      await taker.query('SELECT pg_advisory_lock($1, $2)', [
        ADVISORY_LOCKS.bitrix24Reads,
        read?.id,
      ]);
      await world.rows(
        `INSERT INTO pgboss.job (name, data, retry_limit, retry_delay, retry_backoff)
         VALUES ('bitrix24-read', $1, 13, 1, true)`,
        [{ fetchId: Number(read?.id) }],
      );
      const calls = portal.calls.length;
      // Its job has begun and waits for the taker (the read's try not counted yet).
      await world.eventually(
        () =>
          world.rows(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                AND classid = $1 AND objid = $2`,
            [ADVISORY_LOCKS.bitrix24Reads, read?.id],
          ),
        (rows) => rows.length === 1,
      );
      expect(portal.calls.length).toBe(calls);
      expect(await world.rows(`SELECT attempts FROM crm_fetch_jobs WHERE deal_id = '81'`)).toEqual([
        { attempts: 1 },
      ]);
    } finally {
      await taker.end();
    }
    // The taker's connection is gone, and its lock with it. 10,000 × 0.2 = 2,000.00 of margin.
    await world.eventually(
      () => world.points(),
      (current) => current.boris === (points.boris ?? 0) + 2,
    );
    expect(
      await world.rows(`SELECT attempts, state FROM crm_fetch_jobs WHERE deal_id = '81'`),
    ).toEqual([{ attempts: 2, state: 'done' }]);
  });

  it('shares the queue between two API processes: every deal read once and counted once', async () => {
    const other = await createTestApp(
      world.database.url,
      { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password, allowPrivateCrm: true },
      { clock: world.clock },
    );
    try {
      const ids = Array.from({ length: 20 }, (_, index) => String(100 + index));
      for (const dealId of ids) {
        portal.deals.set(dealId, deal(dealId, { OPPORTUNITY: '1000', ASSIGNED_BY_ID: '7' }));
      }
      const points = await world.points();
      const answers = await Promise.all(
        ids.map((dealId, index) =>
          post(
            call('ONCRMDEALADD', dealId),
            `${index % 2 === 0 ? world.sut.url : other.url}${new URL(webhookUrl).pathname}`,
          ),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));
      // 20 × 1,000 × 0.2 = 4,000.00 of margin: 4 points.
      await world.eventually(
        () => world.points(),
        (now) => now.anna === (points.anna ?? 0) + 4,
      );
      const reads = portal.calls.flatMap((read) => read.ids).filter((read) => ids.includes(read));
      expect(reads.sort()).toEqual(ids);
      const sales = await world.rows(
        `SELECT count(*)::int AS count FROM events WHERE external_id = ANY($1::text[])`,
        [ids.map((dealId) => `deal-${dealId}`)],
      );
      expect(sales).toEqual([{ count: 20 }]);
    } finally {
      await other.close();
    }
    // A second API process to start and stop, and twenty deals through the shared queue: the
    // work of three ordinary tests.
  }, 180_000);

  it('refuses a portal on a loopback, link-local or private address unless PODIUM_ALLOW_PRIVATE_CRM=true', async () => {
    // Another process on the same database, configured as by default.
    const strict = await createTestApp(world.database.url, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
    });
    try {
      const token = await login(strict.url);
      const before = await world.rows('SELECT count(*)::int AS n FROM integrations');
      for (const [index, portalWebhookUrl] of [
        portal.webhookUrl,
        'http://localhost:9/rest/1/abc123/',
        'https://10.0.0.5/rest/1/abc123/',
        'https://169.254.169.254/rest/1/abc123/',
        'https://[::1]/rest/1/abc123/',
        'https://[fd00::7]/rest/1/abc123/',
        'https://0.0.0.0/rest/1/abc123/',
      ].entries()) {
        const settings = {
          marginRate: 0.2,
          // A source of its own, so the only thing wrong is the address.
          source: `private-${index}`,
          applicationToken: APPLICATION_TOKEN,
          portalWebhookUrl,
        };
        const created = await api(strict.url, 'POST', '/api/integrations', {
          token,
          body: { kind: 'bitrix24', name: `private ${portalWebhookUrl}`, settings },
        });
        expect({ url: portalWebhookUrl, status: created.status }).toEqual({
          url: portalWebhookUrl,
          status: 400,
        });
        expect(issuePaths(created)).toEqual(['settings.portalWebhookUrl']);
        const changed = await api(strict.url, 'PATCH', `/api/integrations/${id}`, {
          token,
          body: { settings: { marginRate: 0.2, portalWebhookUrl } },
        });
        expect(changed.status).toBe(400);
        expect(issuePaths(changed)).toEqual(['settings.portalWebhookUrl']);
      }
      // Nothing of the refused requests was written.
      expect(await world.rows('SELECT count(*)::int AS n FROM integrations')).toEqual(before);
    } finally {
      await strict.close();
    }
  });
});
