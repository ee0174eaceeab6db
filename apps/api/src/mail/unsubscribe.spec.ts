import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { MailPreferencesRepository } from './mail-preferences.repository.js';
import { signUnsubscribe } from './unsubscribe-token.js';
import { UnsubscribeService } from './unsubscribe.service.js';

/** The unsubscribe links of e-mail, on a real database, over HTTP. */
describe('unsubscribe links', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let links: UnsubscribeService;
  let preferences: MailPreferencesRepository;

  const pathOf = (link: string) => new URL(link).pathname;
  const switches = async () =>
    sut.app
      .get(DataSource)
      .query<{ subject: string; kind: string; enabled: boolean }[]>(
        'SELECT subject, kind, enabled FROM notification_switches ORDER BY subject, kind',
      );

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, { publicUrl: 'https://podium.example.com' });
    links = sut.app.get(UnsubscribeService);
    preferences = sut.app.get(MailPreferencesRepository);
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('builds the link on the public URL, and opening it asks without changing anything', async () => {
    const link = links.linkFor({
      email: 'Anna@Example.com',
      kind: 'dailyDigest',
      language: 'ru',
    });
    expect(link).toMatch(/^https:\/\/podium\.example\.com\/api\/unsubscribe\/[\w-]+\.[\w-]+$/);
    const page = await fetch(`${sut.url}${pathOf(link)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Больше не присылать на Anna@Example.com: ежедневная сводка?');
    expect(html).toContain('<form method="post">');
    expect(await switches()).toEqual([]);
  });

  it('switches that kind off for that address when confirmed, and only that kind', async () => {
    const link = links.linkFor({ email: 'Anna@Example.com', kind: 'dailyDigest', language: 'ru' });
    // What the page's button sends: a form post with no fields.
    const confirmed = await fetch(`${sut.url}${pathOf(link)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Готово: ежедневная сводка больше не придут');
    expect(await switches()).toEqual([
      { subject: 'email:anna@example.com', kind: 'dailyDigest', enabled: false },
    ]);
    expect(
      await preferences.unsubscribed(['anna@example.com', 'boris@example.com'], 'dailyDigest'),
    ).toEqual(new Set(['anna@example.com']));
    expect(await preferences.unsubscribed(['anna@example.com'], 'finalReport')).toEqual(new Set());
    // Twice is the same as once.
    expect((await fetch(`${sut.url}${pathOf(link)}`, { method: 'POST' })).status).toBe(200);
    expect(await switches()).toHaveLength(1);
  });

  it('takes a mail client’s one-click POST (RFC 8058) and answers in the mail’s language', async () => {
    const link = links.linkFor({
      email: 'director@example.com',
      kind: 'finalReport',
      language: 'en',
    });
    const answer = await fetch(`${sut.url}${pathOf(link)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(answer.status).toBe(200);
    const html = await answer.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(
      'Done: final contest reports will no longer be sent to director@example.com',
    );
    expect(await preferences.unsubscribed(['director@example.com'], 'finalReport')).toEqual(
      new Set(['director@example.com']),
    );
  });

  it('refuses a link that was changed, signed with another key or cut short, and writes nothing', async () => {
    const before = await switches();
    const link = pathOf(
      links.linkFor({ email: 'victim@example.com', kind: 'contestClosed', language: 'ru' }),
    );
    const [payload, signature] = link.slice('/api/unsubscribe/'.length).split('.') as [
      string,
      string,
    ];
    const otherAddress = Buffer.from(
      JSON.stringify({ e: 'someone@example.com', k: 'contestClosed', l: 'ru' }),
    ).toString('base64url');
    const foreign = signUnsubscribe(randomBytes(32), {
      email: 'victim@example.com',
      kind: 'contestClosed',
      language: 'ru',
    });
    for (const token of [
      `${otherAddress}.${signature}`,
      foreign,
      `${payload}.${signature.slice(0, 10)}`,
    ]) {
      for (const method of ['GET', 'POST']) {
        const answer = await fetch(`${sut.url}/api/unsubscribe/${token}`, { method });
        expect(answer.status).toBe(404);
        expect(await answer.text()).toContain('This unsubscribe link is not valid');
      }
    }
    expect(await switches()).toEqual(before);
  });

  it('answers a 400 naming the parameter for something that is no link at all', async () => {
    const answer = await fetch(`${sut.url}/api/unsubscribe/not-a-token`);
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues[0]?.message).toContain('is not an unsubscribe link');
  });
});
