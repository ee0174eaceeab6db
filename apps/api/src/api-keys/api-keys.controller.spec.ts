import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { adminToken, request } from '../../../../tests/support/http.js';
import { ApiKeysController } from './api-keys.controller.js';

interface KeyView {
  id: string;
  key?: string;
  keyPrefix: string;
  lastUsedAt: string | null;
}

describe(ApiKeysController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;
  /** The bearer token of the first admin, sent with every call. */
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: 'admin@example.com',
      adminPassword: 'admin password',
    });
    token = await adminToken(sut);
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const call = (method: string, path: string, body?: unknown) =>
    request(sut.url, method, `/api/api-keys${path}`, { token, body });

  async function list(): Promise<KeyView[]> {
    return (await (await call('GET', '')).json()) as KeyView[];
  }

  it('creates a scoped key shown once; the list never shows it', async () => {
    const created = await call('POST', '', { name: 'amoCRM', scopes: ['events:write'] });
    expect(created.status).toBe(201);
    const body = (await created.json()) as KeyView;
    expect(body.key).toMatch(/^pdk_[\w-]{43}$/);
    expect(body.keyPrefix).toBe(body.key?.slice(0, 12));
    const listed = await list();
    expect(listed).toEqual([expect.objectContaining({ id: body.id, lastUsedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(body.key);
  });

  it.each([
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['users:write'] }, 'scopes[0]'],
    [{ name: ' ', scopes: ['events:write'] }, 'name'],
  ])('refuses %j naming %s', async (body, path) => {
    const response = await call('POST', '', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path }] });
  });

  it('records the last use once a minute at most, and stops working once revoked', async () => {
    const { id, key } = (await (
      await call('POST', '', { name: 'Bitrix24', scopes: ['events:write'] })
    ).json()) as KeyView;
    const me = () =>
      fetch(`${sut.url}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(await (await me()).json()).toMatchObject({
      kind: 'apiKey',
      apiKey: { name: 'Bitrix24', scopes: ['events:write'] },
    });
    // The use is written after the answer: wait for it.
    let first: string | null = null;
    for (let i = 0; i < 50 && first === null; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      first = (await list()).find((item) => item.id === id)?.lastUsedAt ?? null;
    }
    expect(first).not.toBeNull();
    await me();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await list()).find((item) => item.id === id)?.lastUsedAt).toBe(first);

    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    expect((await me()).status).toBe(401);
    expect((await list()).map((item) => item.id)).not.toContain(id);
    expect((await call('DELETE', `/${id}`)).status).toBe(404);
  });
});
