import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { buildOfflineOpenApiDocument } from './document-offline.js';

// The web app's types are generated from the offline document: it must be the served one.
describe(buildOfflineOpenApiDocument.name, () => {
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

  it('is the document the running API serves at /api/openapi.json', async () => {
    const response = await fetch(`${sut.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const served: unknown = await response.json();
    const offline = JSON.parse(JSON.stringify(await buildOfflineOpenApiDocument())) as unknown;
    expect(offline).toEqual(served);
  });
});
