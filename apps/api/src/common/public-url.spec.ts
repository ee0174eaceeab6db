import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createAdminApp } from '../../../../tests/support/http.js';
import type { TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';

type Json = Record<string, unknown>;

/** Headers a client or a hostile proxy may send to steer the URLs Podium hands out. */
const FORGED = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'http',
};

/** One JSON request with forged Host headers (fetch would not send its own Host). */
function forged(app: TestApp, token: string, method: string, path: string, body?: unknown) {
  const url = new URL(`${app.url}/api${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<{ status: number; body: Json & Json[] }>((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: {
          ...FORGED,
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: text === '' ? null : JSON.parse(text),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Every absolute URL Podium hands out, asked for with forged Host headers. */
async function handedOut(app: TestApp, token: string, suffix: string) {
  const hmac = await forged(app, token, 'POST', '/integrations', {
    kind: 'webhook',
    name: `1C ${suffix}`,
    settings: {},
  });
  const amocrm = await forged(app, token, 'POST', '/integrations', {
    kind: 'amocrm',
    name: `amoCRM ${suffix}`,
    settings: { marginRate: 0.2, source: `amocrm-${suffix}` },
  });
  const list = await forged(app, token, 'GET', '/integrations');
  const link = await forged(app, token, 'POST', '/participants/k1/personal-link');
  const display = await forged(app, token, 'POST', '/displays', { name: 'Lobby TV' });
  // The body rides along so a refusal says why.
  for (const { status, body } of [hmac, amocrm, list, link, display]) {
    expect({ ok: status >= 200 && status < 300, body }).toEqual({ ok: true, body });
  }
  return {
    hmac: hmac.body['webhookUrl'],
    amocrm: amocrm.body['webhookUrl'],
    listed: list.body.map((integration) => integration['webhookUrl']),
    link: link.body['url'],
    linkToken: link.body['token'],
    display: display.body['url'],
    displayToken: display.body['token'],
  };
}

describe('absolute URLs', () => {
  let database: TestDatabase;
  let configured: TestApp;
  let fallback: TestApp;
  let tokens: { configured: string; fallback: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const a = await createAdminApp(database.url, { publicUrl: 'https://podium.example.com/board' });
    const b = await createAdminApp(database.url);
    await a.sut.app
      .get(DataSource)
      .query("INSERT INTO participants (id, name) VALUES ('k1', 'Seller k1')");
    configured = a.sut;
    fallback = b.sut;
    tokens = { configured: a.token, fallback: b.token };
  });

  afterAll(async () => {
    await configured?.close();
    await fallback?.close();
    await database?.drop();
  });

  it('are built on PODIUM_PUBLIC_URL, whatever Host and X-Forwarded-* the request says', async () => {
    const base = 'https://podium.example.com/board';
    const urls = await handedOut(configured, tokens.configured, 'a');
    expect(urls.hmac).toMatch(new RegExp(`^${base}/api/webhooks/[0-9a-f-]{36}$`));
    expect(urls.amocrm).toMatch(new RegExp(`^${base}/api/webhooks/amocrm/[0-9a-f-]{36}/crm_`));
    expect(urls.listed.length).toBeGreaterThanOrEqual(2);
    for (const url of urls.listed) expect(url).toMatch(new RegExp(`^${base}/api/webhooks/`));
    expect(urls.link).toBe(`${base}/m/p/${String(urls.linkToken)}`);
    expect(urls.display).toBe(`${base}/tv/${String(urls.displayToken)}`);
  });

  it('are built on the listening address when PODIUM_PUBLIC_URL is not set', async () => {
    const urls = await handedOut(fallback, tokens.fallback, 'b');
    const base = fallback.url; // http://127.0.0.1:<port>
    expect(urls.hmac).toMatch(new RegExp(`^${base}/api/webhooks/`));
    expect(urls.amocrm).toMatch(new RegExp(`^${base}/api/webhooks/amocrm/`));
    for (const url of urls.listed) expect(url).toMatch(new RegExp(`^${base}/api/webhooks/`));
    expect(urls.link).toBe(`${base}/m/p/${String(urls.linkToken)}`);
    expect(urls.display).toBe(`${base}/tv/${String(urls.displayToken)}`);
  });
});
