import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import { migrations } from '../../apps/api/src/database/data-source.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ApiProcess, freePort, waitForEvent, waitForHealthy } from '../support/process.js';

/** The built app as `npm start` runs it, on a test database, over HTTP and socket.io. */
describe('the API process', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = new ApiProcess({ DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1' });
    await waitForHealthy(`${base}/api/health`, api);
  });

  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('migrates the database it is given and reports it up', async () => {
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'up' });
    expect(api.logs()).toContainEqual(
      expect.objectContaining({ applied: migrations.map((migration) => migration.name) }),
    );
  });

  it('serves the web app at / and for client routes, with API misses as JSON 404', async () => {
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(await home.text()).toContain('<div id="app">');
    const route = await fetch(`${base}/tv/demo`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="app">');
    const asset = await fetch(`${base}/assets/index-from-an-older-build.js`);
    expect(asset.status).toBe(404);
    const missing = await fetch(`${base}/api/no-such-route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404 });
  });

  it('logs one JSON line per request with method, route, status and duration, never the URL', async () => {
    await fetch(`${base}/api/health?token=do-not-log-me`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = api
      .logs()
      .filter((line) => line.msg === 'request' && line.route === '/api/health');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toEqual(
      expect.objectContaining({
        method: 'GET',
        route: '/api/health',
        status: 200,
        durationMs: expect.any(Number),
      }),
    );
    expect(api.stdout).not.toContain('do-not-log-me');
    expect(api.stdout).not.toContain(new URL(database.url).password || 'no-password-in-url');
  });

  it('accepts a real socket.io client on /live and answers it over the socket', async () => {
    const socket: Socket = io(`${base}/live`, { transports: ['websocket'], reconnection: false });
    try {
      const hello = await waitForEvent<{ server: string; version: string }>(socket, 'hello');
      expect(hello).toEqual({
        server: 'podium',
        version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });
      const health = await socket.emitWithAck('health');
      expect(health).toEqual({ status: 'ok', db: 'up' });
    } finally {
      socket.disconnect();
    }
  });

  it('stops cleanly with exit code 0 on SIGTERM', async () => {
    await expect(api.stop('SIGTERM')).resolves.toBe(0);
    expect(api.logs()).toContainEqual(expect.objectContaining({ msg: 'stopped' }));
  });
});

describe('configuration errors', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, 'DATABASE_URL'],
    [{ PODIUM_DEMO: 'perhaps' }, 'PODIUM_DEMO'],
  ])('%j prints one line naming %s and exits 2', async (env, variable) => {
    const api = new ApiProcess(env);
    await expect(api.exited).resolves.toBe(2);
    const lines = api.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(api.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  });
});
