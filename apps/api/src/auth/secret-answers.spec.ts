import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { TEST_ADMIN, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { createAdminApp, request } from '../../../../tests/support/http.js';

/** Every call whose answer holds a token, key or secret, and what it holds. */
const SECRET_ANSWERS: readonly (readonly [string, string, unknown, string])[] = [
  ['POST', '/api/auth/login', TEST_ADMIN, 'token'],
  ['POST', '/api/displays', { name: 'Lobby TV' }, 'token'],
  ['POST', '/api/api-keys', { name: 'CRM', scopes: ['events:write'] }, 'key'],
  ['POST', '/api/integrations', { kind: 'webhook', name: '1C', settings: {} }, 'secret'],
  [
    'POST',
    '/api/integrations',
    { kind: 'amocrm', name: 'amoCRM', settings: { marginRate: 0.2 } },
    'secret',
  ],
  ['POST', '/api/participants/k1/personal-link', undefined, 'token'],
];

describe('answers that carry a secret', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token: admin } = await createAdminApp(database.url));
    await sut.app
      .get(DataSource)
      .query("INSERT INTO participants (id, name) VALUES ('k1', 'Seller k1')");
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it.each(SECRET_ANSWERS)('%s %s is Cache-Control: no-store', async (method, path, body, field) => {
    const response = await request(sut.url, method, path, { token: admin, body });
    const answer = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBeLessThan(300);
    // The answer does hold the secret this test is about…
    expect(typeof answer[field]).toBe('string');
    // …and no cache on the way may keep it.
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('leaves answers without a secret alone', async () => {
    const response = await request(sut.url, 'GET', '/api/version', {});
    await response.body?.cancel();
    expect(response.headers.get('cache-control')).not.toBe('no-store');
  });
});
