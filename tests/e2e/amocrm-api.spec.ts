import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AmocrmApi, AmocrmApiError } from '../../apps/api/src/integrations/crm/amocrm-api.js';
import { FakeAmocrm, WON } from '../support/fake-amocrm.js';

/** A port nothing listens on: taken, then freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** The amoCRM API client against a local account: what heals is retried, the rest is not. */
describe('amoCRM API client', () => {
  const fake = new FakeAmocrm();
  let api: AmocrmApi;

  beforeAll(async () => {
    await fake.start();
    api = new AmocrmApi(fake.url, fake.token, { allowPrivate: true, backoffMs: 10, attempts: 3 });
    fake.create({ id: 90001, at: 1_772_445_600, price: 1500, status_id: WON });
  });

  afterAll(() => fake.stop());

  it('tries a 5xx again and reads the lead', async () => {
    fake.requests.length = 0;
    fake.refuseNext.push({ status: 503, title: 'Service Unavailable', detail: 'try later' });
    await expect(api.lead('90001')).resolves.toMatchObject({ id: 90001, price: 1500 });
    expect(fake.requests).toEqual(['/api/v4/leads/90001', '/api/v4/leads/90001']);
  });

  it('gives up at once on what cannot heal, in amoCRM’s words', async () => {
    fake.requests.length = 0;
    fake.refuseNext.push({ status: 402, title: 'Payment Required', detail: 'Account is not paid' });
    const error = await api.lead('90001').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmocrmApiError);
    expect(error).toMatchObject({
      message: 'amoCRM answered 402 Payment Required: Account is not paid',
      status: 402,
      retryable: false,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops after its tries when 5xx goes on, saying so', async () => {
    fake.requests.length = 0;
    for (let index = 0; index < 3; index += 1) {
      fake.refuseNext.push({ status: 500, title: 'Internal Server Error', detail: 'oops' });
    }
    await expect(api.lead('90001')).rejects.toMatchObject({
      message: 'amoCRM answered 500 Internal Server Error: oops (gave up after 3 tries)',
      retryable: true,
    });
    expect(fake.requests).toHaveLength(3);
  });

  it('reads 204 as no lead and as an empty last page', async () => {
    await expect(api.lead('404404')).resolves.toBeNull();
    await expect(api.leads({ updatedFrom: 2_000_000_000, order: 'asc', page: 1 })).resolves.toEqual(
      {
        items: [],
        hasNext: false,
      },
    );
    await expect(
      api.statusChanges({ leadIds: ['404404'], createdFrom: null, page: 1 }),
    ).resolves.toEqual({ items: [], hasNext: false });
  });

  it('retries a network error, then names it', async () => {
    const port = await closedPort();
    const away = new AmocrmApi(`http://127.0.0.1:${port}`, fake.token, {
      allowPrivate: true,
      backoffMs: 10,
      attempts: 2,
    });
    await expect(away.lead('1')).rejects.toMatchObject({
      message: 'amoCRM could not be reached (ECONNREFUSED) (gave up after 2 tries)',
      retryable: true,
    });
  });

  it('refuses a private address without calling it unless allowed', async () => {
    fake.requests.length = 0;
    const local = new AmocrmApi(fake.url, fake.token, { allowPrivate: false });
    await expect(local.lead('90001')).rejects.toMatchObject({
      message: expect.stringMatching(/^settings\.baseUrl must be on a public address/),
      retryable: false,
    });
    expect(fake.requests).toEqual([]);
    // The token never shows in an error.
    const error = await local.lead('90001').catch((caught: unknown) => caught);
    expect(String((error as Error).message)).not.toContain(fake.token);
  });
});
