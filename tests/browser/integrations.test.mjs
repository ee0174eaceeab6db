/* global document -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

async function signIn(page, app, next) {
  await page.goto(`${app.url}${next}`);
  await page.waitForURL((url) => url.pathname === '/login' && url.search.includes('next='));
  await page.locator('input[type=email]').fill(admin.email);
  await page.locator('input[type=password]').fill(admin.password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === next);
}

/** amoCRM's "lead status changed" webhook, form-encoded as amoCRM posts it. */
function amocrmWon({ id, user, price }) {
  const now = Math.floor(Date.now() / 1000);
  const fields = [
    ['leads[status][0][id]', id],
    ['leads[status][0][status_id]', 142],
    ['leads[status][0][old_status_id]', 7039101],
    ['leads[status][0][pipeline_id]', 7039099],
    ['leads[status][0][price]', price],
    ['leads[status][0][responsible_user_id]', user],
    ['leads[status][0][last_modified]', now],
    ['account[subdomain]', 'demo'],
    ['account[id]', 29085955],
  ];
  return fields
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

describe('administration: integrations', () => {
  let app;
  let chromium;
  let token;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    token = await app.signIn();
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  async function open(viewport, locale) {
    const context = await chromium.browser.newContext({ viewport, locale });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, app, '/admin/integrations');
    return { context, page, errors };
  }

  it('connects amoCRM: the URL once, a held deal of an unmapped user counted once mapped', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en-US');
    const form = page.getByTestId('integration-form');
    await form.locator('select[name=kind]').selectOption('amocrm');
    await form.locator('input[name=name]').fill('amoCRM demo');
    // 150 % is no share of an amount: the server's issue shows next to the field, in the
    // screen's language from its code and bound (`too_big`, at most 1).
    await form.locator('input[name=marginRate]').fill('150');
    await form.getByRole('button', { name: 'Create' }).click();
    const issue = form.getByTestId('field-issue');
    await issue.waitFor();
    assert.equal((await issue.textContent()).trim(), 'must be at most 1');
    await form.locator('input[name=marginRate]').fill('25');
    await form.getByRole('button', { name: 'Create' }).click();
    const url = (await page.getByTestId('secret-value').textContent()).trim();
    assert.match(url, new RegExp(`^${app.url}/api/webhooks/amocrm/[0-9a-f-]{36}/crm_`));
    const listed = page.getByTestId('integrations').locator('tr', { hasText: 'amoCRM demo' });
    await listed.getByText('never').waitFor();
    // The list masks the secret.
    assert.ok(!(await listed.textContent()).includes(url.split('/').at(-1)));

    // amoCRM posts a won lead of user 9001, whom nobody has mapped yet: held, not lost.
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: amocrmWon({ id: 880001, user: 9001, price: '120000' }),
    });
    assert.equal(posted.status, 200);
    await listed.getByRole('button', { name: 'Mapping and held deals' }).click();
    const held = page.getByTestId('held-deals');
    await held.locator('tr', { hasText: '880001' }).getByText('CRM user not mapped').waitFor();
    const detail = page.getByTestId('integration-detail');
    // The held deal's user is offered for mapping.
    assert.equal(await detail.locator('input[name=crmUserId]').first().inputValue(), '9001');
    await screenshot(page, 'admin-integrations-tv-en');
    await detail.locator('select[name=participantId]').first().selectOption('demo-02');
    await detail.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByTestId('mapping-saved').waitFor();
    await page.getByTestId('held').getByText('No deal is held.').waitFor();
    // The sale is in the live contest's feed, for the mapped participant.
    const contests = await fetch(`${app.url}/api/contests`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    const live = contests.find((contest) => contest.state === 'live');
    const feed = await fetch(`${app.url}/api/contests/${live.id}/events?limit=200`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    const text = JSON.stringify(feed);
    assert.ok(text.includes('lead-880001'), 'the held lead was counted once mapped');

    // The settings change in place: 30 % from now on, the kind and source fixed.
    await listed.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('editing').waitFor();
    assert.equal(await form.locator('input[name=marginRate]').inputValue(), '25');
    assert.equal(await form.locator('select[name=kind]').isDisabled(), true);
    await form.locator('input[name=marginRate]').fill('30');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-saved').waitFor();
    const list = await fetch(`${app.url}/api/integrations`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    assert.equal(list.find((item) => item.name === 'amoCRM demo').settings.marginRate, 0.3);
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const [viewport, size] of [
    [viewports.tv, 'tv'],
    [viewports.phone, 'phone'],
  ]) {
    for (const locale of ['ru-RU', 'en-US']) {
      const lang = locale.slice(0, 2);
      it(`shows the Bitrix24 form and the mapping at ${size} size in ${lang}`, async () => {
        const { context, page, errors } = await open(viewport, locale);
        const form = page.getByTestId('integration-form');
        await form.locator('select[name=kind]').selectOption('bitrix24');
        await form.locator('input[name=portalWebhookUrl]').waitFor();
        await form.locator('input[name=name]').fill(`Bitrix24 ${size} ${lang}`);
        await form
          .locator('input[name=portalWebhookUrl]')
          .fill('https://demo.bitrix24.ru/rest/1/abcdef123456/');
        await form.getByRole('button', { name: lang === 'ru' ? 'Создать' : 'Create' }).click();
        // No application token: named next to its field.
        await form.getByTestId('field-issue').first().waitFor();
        await form.locator('input[name=applicationToken]').fill('k9x2vq7c1m4r8t0w5y3z6b2n');
        await form.locator('input[name=source]').fill(`bitrix24-${size}-${lang}`);
        await form.getByRole('button', { name: lang === 'ru' ? 'Создать' : 'Create' }).click();
        await page.getByTestId('secret-value').waitFor();
        const row = page
          .getByTestId('integrations')
          .locator('tr', { hasText: `Bitrix24 ${size} ${lang}` });
        await row.waitFor();
        await screenshot(page, `admin-integrations-form-${size}-${lang}`);
        await row
          .getByRole('button', {
            name: lang === 'ru' ? 'Сопоставление и отложенные сделки' : 'Mapping and held deals',
          })
          .click();
        await page.getByTestId('held').waitFor();
        await page.getByTestId('integration-detail').scrollIntoViewIfNeeded();
        // Nothing wider than the screen: the page never scrolls sideways.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
        await screenshot(page, `admin-integrations-mapping-${size}-${lang}`);
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
  for (const [size, viewport] of Object.entries(viewports)) {
    for (const lang of ['en', 'ru']) {
      it(`shows what leads, new clients and product rows map to (${size}, ${lang})`, async () => {
        const { context, page, errors } = await open(viewport, lang === 'ru' ? 'ru-RU' : 'en-US');
        const form = page.getByTestId('integration-form');
        await form.locator('select[name=kind]').selectOption('bitrix24');
        await form.locator('input[name=portalWebhookUrl]').waitFor();
        await form.locator('input[name=name]').fill(`Bitrix24 feeds ${size} ${lang}`);
        await form
          .locator('input[name=portalWebhookUrl]')
          .fill('https://demo.bitrix24.ru/rest/1/abcdef123456/');
        await form.locator('input[name=applicationToken]').fill('k9x2vq7c1m4r8t0w5y3z6b2n');
        await form.locator('input[name=source]').fill(`bitrix24-feeds-${size}-${lang}`);
        const feeds = form.getByTestId('crm-feeds');
        await feeds.locator('select[name=leads]').selectOption('leads');
        await feeds.locator('input[name=newClients]').check();
        await feeds.locator('select[name=productRows]').selectOption('perRow');
        const text = await feeds.textContent();
        for (const expected of lang === 'ru'
          ? [
              'Лиды → события «лид»',
              'clientId company-<id>',
              'Товарные позиции → товар и количество',
            ]
          : [
              'Leads → lead events',
              'clientId company-<id>',
              'Product rows → product and quantity',
            ]) {
          assert.ok(text.includes(expected), `the switches say "${expected}"`);
        }
        await feeds.scrollIntoViewIfNeeded();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
        await screenshot(page, `admin-integrations-feeds-${size}-${lang}`);
        await form.getByRole('button', { name: lang === 'ru' ? 'Создать' : 'Create' }).click();
        await page.getByTestId('secret-value').waitFor();
        const list = await fetch(`${app.url}/api/integrations`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const items = await list.json();
        const saved = (items.items ?? items).find(
          (item) => item.name === `Bitrix24 feeds ${size} ${lang}`,
        );
        assert.deepEqual(
          {
            leads: saved.settings.leads,
            newClients: saved.settings.newClients,
            productRows: saved.settings.productRows,
          },
          { leads: 'leads', newClients: true, productRows: 'perRow' },
        );
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
});
