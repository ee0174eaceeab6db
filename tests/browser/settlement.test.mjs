/* global document -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

/** Calls the API as the given bearer; throws on a non-2xx with the answer. */
async function call(app, token, method, path, body) {
  const response = await fetch(`${app.url}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function signIn(page, app, next) {
  await page.goto(`${app.url}${next}`);
  await page.waitForURL((url) => url.pathname === '/login' && url.search.includes('next='));
  await page.locator('input[type=email]').fill(admin.email);
  await page.locator('input[type=password]').fill(admin.password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === next);
}

/** amoCRM's "lead status changed" webhook, form-encoded as amoCRM posts it. */
function amocrmWon({ id, user, price, pipeline }) {
  const now = Math.floor(Date.now() / 1000);
  return [
    ['leads[status][0][id]', id],
    ['leads[status][0][status_id]', 142],
    ['leads[status][0][old_status_id]', 7039101],
    ['leads[status][0][pipeline_id]', pipeline],
    ['leads[status][0][price]', price],
    ['leads[status][0][responsible_user_id]', user],
    ['leads[status][0][last_modified]', now],
    ['account[subdomain]', 'demo'],
    ['account[id]', 29085955],
  ]
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

const noSideways = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('late cancellations and the CRM reconciliation on screen', () => {
  let app;
  let chromium;
  let token;
  let closedId;
  let liveId;
  let integrationName;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    token = (await call(app, null, 'POST', '/auth/login', admin)).token;
    const contests = await call(app, token, 'GET', '/contests');
    liveId = contests.find((contest) => contest.state === 'live').id;
    const file = await call(app, token, 'GET', `/contests/${liveId}/file`);

    // A contest of the last weeks that ends a moment from now: a sale of its period counts, then
    // the period ends (the clock's own tick moves it to closing) and a manager closes it.
    const start = new Date(Date.now() - 20 * 86_400_000);
    const end = new Date(Date.now() + 2_000);
    const created = await call(app, token, 'POST', '/contests', {
      ...file,
      name: 'Last weeks (settled)',
      period: { start: start.toISOString(), end: end.toISOString() },
      events: [],
    });
    closedId = created.id;
    await call(app, token, 'POST', `/contests/${closedId}/launch`, {
      override: { reason: 'browser test of a late cancellation' },
    });
    const [winner] = file.participants;
    const sale = {
      type: 'sale',
      source: 'erp',
      externalId: 'settlement-1',
      participantId: winner.id,
      occurredAt: new Date(start.getTime() + 3 * 86_400_000).toISOString(),
      amountMinor: 900_000_000_00,
      marginMinor: 300_000_000_00,
    };
    await call(app, token, 'POST', '/events', sale);
    // However long that took, the period ends; closing is the lifecycle's next step.
    while ((await call(app, token, 'GET', `/contests/${closedId}`)).state !== 'closing') {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await call(app, token, 'POST', `/contests/${closedId}/close`);
    await call(app, token, 'POST', '/events', {
      type: 'reversal',
      source: 'erp',
      externalId: 'settlement-1/cancelled',
      reversesExternalId: 'settlement-1',
      participantId: winner.id,
      occurredAt: new Date().toISOString(),
    });

    // An amoCRM integration counting one pipeline: a lead of an unmapped user, one elsewhere.
    integrationName = 'amoCRM reconciled';
    const integration = await call(app, token, 'POST', '/integrations', {
      kind: 'amocrm',
      name: integrationName,
      settings: { marginRate: 0.2, currency: file.currency, pipelineIds: [7039099] },
    });
    await call(app, token, 'PUT', `/integrations/${integration.id}/mappings`, {
      9102: winner.id,
    });
    for (const lead of [
      { id: 990001, user: 9101, price: '120000', pipeline: 7039099 },
      { id: 990002, user: 9102, price: '45000', pipeline: 5550001 },
      { id: 990003, user: 9102, price: '30000', pipeline: 7039099 },
    ]) {
      const posted = await fetch(integration.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: amocrmWon(lead),
      });
      assert.equal(posted.status, 200);
    }
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  for (const [viewport, size] of [
    [viewports.tv, 'tv'],
    [viewports.phone, 'phone'],
  ]) {
    for (const locale of ['en-US', 'ru-RU']) {
      const lang = locale.slice(0, 2);
      it(`shows a clawback and the reconciliation at ${size} size in ${lang}`, async () => {
        const context = await chromium.browser.newContext({ viewport, locale });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (error) => errors.push(error.message));

        await signIn(page, app, `/contests/${closedId}`);
        const clawback = page.getByTestId('clawback').first();
        await clawback.waitFor();
        await clawback.getByText(lang === 'en' ? 'Prize lost' : 'Приз потерян').waitFor();
        await clawback.scrollIntoViewIfNeeded();
        // The clawbacks panel fits the screen (the standings table beside it scrolls on its own).
        const panel = await page.getByTestId('clawbacks').boundingBox();
        assert.ok(panel.x >= 0 && panel.x + panel.width <= viewport.width, 'the panel is too wide');
        await screenshot(page, `clawback-${size}-${lang}`);
        if (size === 'tv' && lang === 'en') {
          await clawback.locator('input[name=note]').fill('Deduct it from the next bonus');
          await clawback.getByRole('button', { name: 'Recover' }).click();
          await page.locator('[data-testid=clawback][data-decision=recover]').waitFor();
          await clawback.getByText('Recovered').waitFor();
          await screenshot(page, `clawback-decided-${size}-${lang}`);
        }

        await page.goto(`${app.url}/admin/integrations`);
        const row = page.getByTestId('integrations').locator('tr', { hasText: integrationName });
        await row
          .getByRole('button', {
            name: lang === 'ru' ? 'Сопоставление и отложенные сделки' : 'Mapping and held deals',
          })
          .click();
        const section = page.getByTestId('reconciliation');
        await section.getByTestId('reconciliation-contest').selectOption(liveId);
        const differences = section.getByTestId('reconciliation-differences');
        await differences.waitFor();
        const reasons = await differences
          .locator('li')
          .evaluateAll((items) => items.map((item) => item.dataset.reason));
        assert.deepEqual(reasons, ['unmapped', 'outsidePipeline']);
        await differences
          .getByText(lang === 'en' ? 'Not in a counted pipeline' : 'Не в засчитываемой воронке')
          .waitFor();
        await section.scrollIntoViewIfNeeded();
        assert.ok((await noSideways(page)) <= 0, 'the integrations page scrolls sideways');
        await screenshot(page, `reconciliation-${size}-${lang}`);
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
});
