/* global document -- code passed to page.waitForFunction runs in the page */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

/**
 * A Bitrix24 portal that is overloaded: every REST call answers 429 with the error body Bitrix24
 * sends when a method has used up its run time and is blocked for minutes (REST documentation,
 * bitrix24/b24restdocs limits.md: `OPERATION_TIME_LIMIT` "Method is blocked due to operation time
 * limit."). Podium does not retry it within a sync, so each sync fails at once.
 */
function overloadedPortal() {
  const server = http.createServer((request, response) => {
    request.resume();
    response.writeHead(429, { 'content-type': 'application/json; charset=utf-8' });
    response.end(
      JSON.stringify({
        error: 'OPERATION_TIME_LIMIT',
        error_description: 'Method is blocked due to operation time limit.',
      }),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('CRM sync on the screens', () => {
  let app;
  let chromium;
  let portal;
  let token;

  before(async () => {
    portal = await overloadedPortal();
    // The stand-in portal is on 127.0.0.1, which Podium refuses unless told.
    app = await startApp({ PODIUM_ALLOW_PRIVATE_CRM: 'true' });
    chromium = await launchBrowser();
    token = await app.signIn();
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
    await new Promise((resolve) => portal?.close(resolve));
  });

  it('shows a failing sync, Sync now, and the contest page alert after three failures', async () => {
    const api = (method, path, body) =>
      fetch(`${app.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    const created = await api('POST', '/api/integrations', {
      kind: 'bitrix24',
      name: 'Bitrix24 overloaded',
      settings: {
        marginRate: 0.2,
        applicationToken: 'k9x2vq7c1m4r8t0w5y3z6b2n',
        portalWebhookUrl: `http://127.0.0.1:${portal.address().port}/rest/1/h7k2m9p4x1q8w3e6/`,
        source: 'bitrix24-overloaded',
      },
    });
    assert.equal(created.status, 201);

    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/admin/integrations`);
    await page.locator('input[type=email]').fill(admin.email);
    await page.locator('input[type=password]').fill(admin.password);
    await page.locator('button[type=submit]').click();
    const row = page.getByTestId('integrations').locator('tr', { hasText: 'Bitrix24 overloaded' });
    const cell = row.getByTestId('integration-sync');
    await cell.waitFor();
    const button = cell.getByRole('button', { name: 'Синхронизировать' });
    // Each press runs a sync that fails (or meets the scheduled one, failing as well): at most
    // three presses and the three scheduled runs bring three failures in a row.
    for (let press = 0; press < 6; press += 1) {
      const status = await api('GET', `/api/integrations/${created.body.id}`);
      if (status.body.sync.consecutiveFailures >= 3) break;
      await button.click();
      await cell.getByRole('button', { name: 'Синхронизировать' }).waitFor();
    }
    await page.reload();
    await cell.getByTestId('sync-outcome').getByText('синхронизация не удалась').waitFor();
    assert.match(await cell.getByTestId('sync-error').textContent(), /OPERATION_TIME_LIMIT/);
    await cell.getByText(/неудач подряд: [3-9]/).waitFor();
    await screenshot(page, 'admin-integrations-sync-ru');

    const contests = await api('GET', '/api/contests');
    const live = contests.body.find((contest) => contest.state === 'live');
    await page.goto(`${app.url}/contests/${live.id}`);
    const alert = page.getByTestId('sync-alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /Bitrix24 overloaded/);
    assert.match(await alert.textContent(), /синхронизации с CRM не удались/);
    await screenshot(page, 'manager-sync-alert-ru');
    // The alert opens the CRM's reconciliation with this contest (a manager's only way to it).
    await alert.getByTestId('sync-alert-reconcile').click();
    const reconciliation = page.getByTestId('reconciliation');
    await reconciliation.waitFor();
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid="reconciliation-contest"]')?.value === id,
      live.id,
    );
    assert.deepEqual(errors, []);
    await context.close();
  });
});
