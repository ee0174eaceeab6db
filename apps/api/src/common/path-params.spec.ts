import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp } from '../../../../tests/support/http.js';

/** Path segments PostgreSQL cannot store or that are not Unicode at all. */
const BAD_SEGMENTS = {
  NUL: 'p%00x',
  'NUL alone': '%00',
  'a lone high surrogate (CESU-8)': '%ED%A0%80',
  'a lone low surrogate (CESU-8)': 'a%ED%B0%80b',
  'bytes that are not UTF-8': '%FF%FE',
} as const;

/** One route per kind of path parameter (free text ids, uuids, numbers, CRM secrets). */
const ROUTES: readonly { method: string; path: (bad: string) => string; param: string }[] = [
  { method: 'GET', path: (bad) => `/api/participants/${bad}`, param: 'id' },
  { method: 'GET', path: (bad) => `/api/participants/${bad}/history`, param: 'id' },
  { method: 'PATCH', path: (bad) => `/api/participants/${bad}`, param: 'id' },
  { method: 'DELETE', path: (bad) => `/api/teams/${bad}`, param: 'id' },
  { method: 'GET', path: (bad) => `/api/contests/${bad}/standings`, param: 'id' },
  { method: 'DELETE', path: (bad) => `/api/users/${bad}`, param: 'id' },
  { method: 'GET', path: (bad) => `/api/imports/templates/${bad}`, param: 'file' },
  {
    method: 'POST',
    path: (bad) => `/api/webhooks/amocrm/00000000-0000-4000-8000-000000000000/${bad}`,
    param: 'secret',
  },
];

describe('path parameters', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token: admin } = await createAdminApp(database.url));
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it.each(Object.entries(BAD_SEGMENTS))(
    'with %s are a 400 naming the parameter on every route',
    async (_name, bad) => {
      const wrong: string[] = [];
      for (const route of ROUTES) {
        const answer = await call<{ message?: string; issues?: { path: string }[] } | null>(
          sut.url,
          route.method,
          route.path(bad),
          { token: admin, ...(route.method === 'PATCH' ? { body: { name: 'x' } } : {}) },
        );
        const named = answer.body?.issues?.some((issue) => issue.path === route.param) ?? false;
        if (answer.status !== 400 || !named)
          wrong.push(
            `${route.method} ${route.path(bad)}: ${answer.status} ${JSON.stringify(answer.body)}`,
          );
      }
      expect(wrong).toEqual([]);
    },
  );

  it('leave well-formed text ids alone, Cyrillic and emoji included', async () => {
    const created = await call(sut.url, 'POST', '/api/participants', {
      token: admin,
      body: { id: 'анна-🏆', name: 'Анна' },
    });
    expect(created.status).toBeLessThan(300);
    const read = await call<{ id: string }>(
      sut.url,
      'GET',
      `/api/participants/${encodeURIComponent('анна-🏆')}`,
      { token: admin },
    );
    expect(read).toMatchObject({ status: 200, body: { id: 'анна-🏆' } });
  });
});
