import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { createAdminApp, call } from '../../../../tests/support/http.js';
import { IntegrationsController } from './integrations.controller.js';
import { sign } from './signed-webhooks.service.js';

describe(IntegrationsController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let webhookUrl: string;
  let secret: string;
  let integrationId: string;

  const admin = (method: string, path: string, body?: unknown) =>
    call<Record<string, unknown>>(sut.url, method, path, { token, body });

  async function post(
    body: string,
    {
      timestamp = Math.floor(Date.now() / 1000),
      key = secret,
      signature,
    }: { timestamp?: number; key?: string; signature?: string } = {},
  ) {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-podium-timestamp': String(timestamp),
        'x-podium-signature': signature ?? sign(key, String(timestamp), body),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function eventCount(): Promise<number> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return Number(
        (await client.query<{ count: string }>('SELECT count(*) FROM events')).rows[0]?.count,
      );
    } finally {
      await client.end();
    }
  }

  const event = (externalId: string, participantId = 'w1') =>
    JSON.stringify({
      type: 'sale',
      source: '1c',
      externalId,
      participantId,
      occurredAt: '2026-05-05T10:00:00Z',
      amountMinor: 500_000,
      marginMinor: 100_000,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url));
    await admin('POST', '/api/participants', { id: 'w1', name: 'Webhook seller' });
    const created = await admin('POST', '/api/integrations', {
      kind: 'webhook',
      name: '1C',
      settings: {},
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id as string;
    secret = created.body.secret as string;
    webhookUrl = created.body.webhookUrl as string;
    expect(webhookUrl).toBe(`${sut.url}/api/webhooks/${integrationId}`);
    expect(secret).toMatch(/^whsec_/);
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('stores a correctly signed event, and the same request again answers as the first time', async () => {
    const body = event('1c-1');
    const first = await post(body);
    expect(first).toMatchObject({ status: 201, body: { source: '1c', externalId: '1c-1' } });
    const again = await post(body);
    expect(again).toEqual({ status: 200, body: first.body });
  });

  it('refuses a bad signature, a stale or future timestamp, or a missing header with 401, writing nothing', async () => {
    const before = await eventCount();
    await expect(post(event('1c-bad'), { key: 'whsec_wrong' })).resolves.toMatchObject({
      status: 401,
    });
    await expect(
      post(event('1c-old'), { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ).resolves.toMatchObject({ status: 401 });
    await expect(
      post(event('1c-future'), { timestamp: Math.floor(Date.now() / 1000) + 400 }),
    ).resolves.toMatchObject({ status: 401 });
    await expect(post(event('1c-none'), { signature: '' })).resolves.toMatchObject({ status: 401 });
    // A body changed after signing: the signature of the original does not cover it.
    const timestamp = Math.floor(Date.now() / 1000);
    const tampered = await post(event('1c-tampered').replace('500000', '900000'), {
      timestamp,
      signature: sign(secret, String(timestamp), event('1c-tampered')),
    });
    expect(tampered.status).toBe(401);
    expect(await eventCount()).toBe(before);
  });

  it('maps CRM user ids to participants', async () => {
    const mapped = await admin('PUT', `/api/integrations/${integrationId}/mappings`, {
      'crm-user-7': 'w1',
    });
    expect(mapped).toEqual({ status: 200, body: { 'crm-user-7': 'w1' } });
    const unknown = await admin('PUT', `/api/integrations/${integrationId}/mappings`, {
      'crm-user-8': 'nobody',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual([
      { path: 'crm-user-8', message: 'unknown participant "nobody"', code: 'unknownParticipant' },
    ]);
    const answer = await post(event('1c-mapped', 'crm-user-7'));
    expect(answer.status).toBe(201);
  });

  it("stores a deal's lead, its new client and its product rows in the connectors' shapes", async () => {
    const deal = { source: '1c', participantId: 'crm-user-7', clientId: 'counterparty-41' };
    const row = (line: number, product: string, quantity: number, amountMinor: number) => ({
      ...deal,
      type: 'sale',
      externalId: `1c-doc-9#${line}`,
      occurredAt: '2026-05-06T12:00:00+03:00',
      amountMinor,
      marginMinor: amountMinor / 5,
      isNewClient: true,
      product,
      quantity,
    });
    const body = JSON.stringify([
      {
        ...deal,
        type: 'lead',
        externalId: '1c-doc-9/lead',
        occurredAt: '2026-05-02T09:00:00+03:00',
      },
      row(1, 'Кофемашина', 2, 300_000),
      row(2, 'Фильтр', 10, 20_000),
    ]);
    const answer = await post(body);
    expect(answer.status).toBe(201);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ type: string; external_id: string; payload: object }>(
        `SELECT type, external_id, participant_id, payload FROM events
          WHERE source = '1c' AND external_id LIKE '1c-doc-9%' ORDER BY external_id`,
      );
      expect(rows).toEqual([
        expect.objectContaining({
          type: 'sale',
          external_id: '1c-doc-9#1',
          participant_id: 'w1',
          payload: expect.objectContaining({
            clientId: 'counterparty-41',
            isNewClient: true,
            product: 'Кофемашина',
            quantity: 2,
          }),
        }),
        expect.objectContaining({ type: 'sale', external_id: '1c-doc-9#2', participant_id: 'w1' }),
        expect.objectContaining({
          type: 'lead',
          external_id: '1c-doc-9/lead',
          participant_id: 'w1',
          payload: expect.objectContaining({ clientId: 'counterparty-41' }),
        }),
      ]);
    } finally {
      await client.end();
    }
  });

  it('refuses a revoked integration', async () => {
    const revoked = await admin('DELETE', `/api/integrations/${integrationId}`);
    expect(revoked.status).toBe(204);
    await expect(post(event('1c-after-revoke'))).resolves.toMatchObject({ status: 401 });
  });
});
