import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { HealthController } from './health.controller.js';

describe(HealthController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url);
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('answers 200 with the database up while PostgreSQL answers', async () => {
    const response = await fetch(`${sut.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'up' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('is listed in the OpenAPI document', async () => {
    const response = await fetch(`${sut.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain('/api/health');
  });

  it('tells its name and version without touching the database', async () => {
    const response = await fetch(`${sut.url}/api/version`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: 'podium',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
  });

  it('answers 503 with the database down once its database is gone', async () => {
    await database.drop();
    const response = await fetch(`${sut.url}/api/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', db: 'down' });
  });
});
