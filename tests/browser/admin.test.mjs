import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const laptop = { width: 1366, height: 768 };

async function signIn(page, app, next) {
  await page.goto(`${app.url}${next}`);
  await page.waitForURL((url) => url.pathname === '/login' && url.search.includes('next='));
  await page.locator('input[type=email]').fill(admin.email);
  await page.locator('input[type=password]').fill(admin.password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === next);
}

describe('administration', () => {
  let app;
  let chromium;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  async function open(viewport, locale, path) {
    const context = await chromium.browser.newContext({ viewport, locale });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, app, path);
    return { context, page, errors };
  }

  it('creates a display: its token shows once with the TV link, and the token works', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en-US', '/admin/displays');
    const form = page.getByTestId('display-form');
    // A blank name: the server's issue shows next to the field.
    await form.getByRole('button', { name: 'Create' }).click();
    await form.getByTestId('field-issue').waitFor();
    await form.locator('input[name=name]').fill('Lobby TV');
    await form.getByLabel('Спринт месяца').check();
    await form.getByRole('button', { name: 'Create' }).click();
    const token = (await page.getByTestId('secret-value').textContent()).trim();
    assert.ok(token.length > 10, token);
    const link = page.getByTestId('secret-link');
    assert.equal(await link.getAttribute('href'), `${app.url}/tv/${token}`);
    await page.getByTestId('displays').getByText('Lobby TV').waitFor();
    // The token is a display principal that sees only its contest.
    const contests = await fetch(`${app.url}/api/contests`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    assert.deepEqual(
      contests.map((contest) => contest.name),
      ['Спринт месяца'],
    );
    await screenshot(page, 'admin-displays-tv-en');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the server’s issues next to the participant form’s fields, then saves', async () => {
    const { context, page, errors } = await open(laptop, 'en-US', '/admin/participants');
    await page.getByRole('button', { name: 'Add' }).click();
    const form = page.getByTestId('participant-form');
    await form.getByRole('button', { name: 'Create' }).click();
    await form.locator('label', { hasText: 'Name' }).getByTestId('field-issue').waitFor();
    await form.locator('input[name=name]').fill('Nina Formtest');
    await form.locator('input[name=team]').fill('North-East');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Saved').waitFor();
    await page.getByTestId('participant-search').fill('Formtest');
    await page
      .getByTestId('participants')
      .locator('tbody tr')
      .nth(1)
      .waitFor({ state: 'detached' });
    await page.getByTestId('participants').getByText('North-East').waitFor();
    await screenshot(page, 'admin-participants-laptop-en');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('says the server’s refusal of a too-short password in Russian on a Russian screen', async () => {
    const { context, page, errors } = await open(laptop, 'ru-RU', '/admin/users');
    const form = page.getByTestId('user-form');
    await form.locator('input[name=email]').fill('short-password@demo.local');
    await form.locator('input[name=password]').fill('short');
    await form.locator('button[type=submit]').click();
    const issue = form.locator('label:has(input[name=password])').getByTestId('field-issue');
    assert.equal(await issue.textContent(), 'не короче 8 символов');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('creates a seller linked to a participant, and an API key shown once', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en-US', '/admin/users');
    const form = page.getByTestId('user-form');
    await form.locator('input[name=email]').fill('new-seller@demo.local');
    await form.locator('input[name=password]').fill('short');
    await form.locator('select[name=role]').selectOption('seller');
    await form.locator('select[name=participantId]').selectOption('demo-02');
    await form.getByRole('button', { name: 'Create' }).click();
    const passwordIssue = form.locator('label', { hasText: 'Password' }).getByTestId('field-issue');
    assert.equal(await passwordIssue.textContent(), 'must be at least 8 characters long');
    await form.locator('input[name=password]').fill('a-long-password');
    await form.getByRole('button', { name: 'Create' }).click();
    const row = page.getByTestId('users').locator('tr', { hasText: 'new-seller@demo.local' });
    await row.waitFor();
    assert.equal(await row.locator('select').first().inputValue(), 'seller');
    assert.equal(await row.locator('select').nth(1).inputValue(), 'demo-02');
    await screenshot(page, 'admin-users-tv-en');

    await page.getByRole('link', { name: 'API keys' }).click();
    const keys = page.getByTestId('api-key-form');
    await keys.locator('input[name=name]').fill('amoCRM webhook');
    await keys.getByRole('button', { name: 'Create' }).click();
    const key = (await page.getByTestId('secret-value').textContent()).trim();
    const listed = page.getByTestId('api-keys').locator('tr', { hasText: 'amoCRM webhook' });
    await listed.getByText('never').waitFor();
    assert.ok(key.startsWith((await listed.locator('code').textContent()).replace('…', '')));
    await listed.getByRole('button', { name: 'Revoke' }).click();
    await listed.getByRole('button', { name: 'Yes, delete' }).click();
    await listed.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the server’s message when a list fails to load, never the error’s class name', async () => {
    const { context, page, errors } = await open(laptop, 'en-US', '/admin/teams');
    await page.getByTestId('teams').waitFor();
    const message = 'The database is unavailable; retry in a moment';
    await context.route('**/api/{teams,users,api-keys,displays}', (route) =>
      route.request().method() === 'GET'
        ? route.fulfill({ status: 503, contentType: 'application/json', json: { message } })
        : route.fallback(),
    );
    for (const tab of ['teams', 'users', 'api-keys', 'displays']) {
      await page.goto(`${app.url}/admin/${tab}`);
      const alert = page.getByRole('alert').filter({ hasText: message });
      await alert.waitFor();
      assert.equal((await alert.textContent()).trim(), message, tab);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
});
