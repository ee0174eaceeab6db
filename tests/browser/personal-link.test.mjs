/* global document -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const laptop = { width: 1366, height: 768 };

/**
 * A participant's personal link: an admin makes it on the participants screen, the phone opens
 * it at 390×844 without a password and sees the participant's rank and what it takes (and no one
 * else's amounts); revoked, it stops working.
 */
describe('personal link (/m/p/<token>)', () => {
  let app;
  let chromium;
  let adminToken;

  async function call(method, path, body, token = adminToken) {
    const response = await fetch(`${app.url}/api${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    const login = await call(
      'POST',
      '/auth/login',
      { email: 'admin@demo.local', password: 'demo' },
      null,
    );
    adminToken = login.body.token;
    assert.ok(adminToken, 'the demo admin signs in');
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  it('is made on the participants screen and opens the phone view read-only, until revoked', async () => {
    // The admin makes the link for demo-07 on the participants screen.
    const admin = await chromium.browser.newContext({ viewport: laptop, locale: 'en-US' });
    const adminPage = await admin.newPage();
    await adminPage.goto(`${app.url}/login?next=/admin/participants`);
    await adminPage.locator('input[type=email]').fill('admin@demo.local');
    await adminPage.locator('input[type=password]').fill('demo');
    await adminPage.locator('button[type=submit]').click();
    await adminPage.waitForURL((url) => url.pathname === '/admin/participants');
    const row = adminPage.getByTestId('participants').locator('tr', { hasText: 'demo-07' });
    await row.getByRole('button', { name: 'Personal link' }).click();
    const panel = adminPage.getByTestId('personal-link');
    await panel.getByTestId('personal-link-status').filter({ hasText: 'No link yet.' }).waitFor();
    await panel.getByRole('button', { name: 'Create link' }).click();
    const url = (await panel.getByTestId('secret-value').textContent()).trim();
    assert.match(url, new RegExp(`^${app.url}/m/p/pdp_[\\w-]{43}$`));
    await panel.getByRole('button', { name: 'Revoke' }).waitFor();
    await screenshot(adminPage, 'admin-personal-link-en');
    const token = url.split('/').at(-1);

    const owner = await call('POST', '/personal-links/open', { token }, null);
    assert.equal(owner.status, 200);
    assert.equal(owner.body.participantId, 'demo-07');

    // The phone opens it: no sign-in, the participant's rank, points and what it takes.
    for (const [locale, takes] of [
      ['ru-RU', 'Что нужно'],
      ['en-US', 'What it takes'],
    ]) {
      const phone = await chromium.browser.newContext({ viewport: viewports.phone, locale });
      const page = await phone.newPage();
      await page.goto(url);
      await page.getByTestId('mobile-hero').waitFor();
      assert.equal(new URL(page.url()).pathname, `/m/p/${token}`, 'no detour to the sign-in page');
      const rank = Number(await page.getByTestId('mobile-rank').textContent());
      assert.ok(Number.isInteger(rank) && rank >= 1 && rank <= 40, `rank ${rank}`);
      await page.getByTestId('what-it-takes').filter({ hasText: takes }).waitFor();
      await page.getByTestId('breakdown').filter({ hasText: '₽' }).waitFor();
      await page.getByTestId('neighbors').locator('li.self').waitFor();
      // Nothing to sign out of, and no way to open someone else's screen from the list.
      assert.equal(await page.getByRole('button', { name: /Sign out|Выйти/ }).count(), 0);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= viewports.phone.width, `nothing overflows sideways (${width}px)`);
      await screenshot(page, `mobile-link-${locale.slice(0, 2)}`);
      await phone.close();
    }

    // What the link's token reads: its own amounts, others' hidden, as for a seller.
    const contests = await call('GET', '/contests', undefined, token);
    const live = contests.body.find((contest) => contest.state === 'live');
    const standings = await call('GET', `/contests/${live.id}/standings`, undefined, token);
    for (const row of standings.body.standings) {
      const values = row.criteria.map((criterion) => criterion.value);
      if (row.participantId === 'demo-07') assert.ok(values.some((value) => value !== null));
      else if (!live.showAmounts)
        assert.ok(
          values.every((value) => value === null),
          row.name,
        );
    }
    assert.equal((await call('GET', '/participants', undefined, token)).status, 403);

    // Revoked on the screen: the phone says so on its next load.
    await panel.getByRole('button', { name: 'Revoke' }).click();
    await panel.getByTestId('personal-link-status').filter({ hasText: 'No link yet.' }).waitFor();
    const phone = await chromium.browser.newContext({ viewport: viewports.phone, locale: 'en-US' });
    const page = await phone.newPage();
    await page.goto(url);
    await page.getByTestId('link-refused').filter({ hasText: 'does not work any more' }).waitFor();
    assert.equal(await page.getByTestId('mobile-hero').count(), 0);
    await phone.close();
    await admin.close();
  });

  it('opens the demo seller’s link printed at start (pdp_demo)', async () => {
    const phone = await chromium.browser.newContext({ viewport: viewports.phone, locale: 'ru-RU' });
    const page = await phone.newPage();
    await page.goto(`${app.url}/m/p/pdp_demo`);
    await page.getByTestId('mobile-rank').waitFor();
    await page.getByTestId('what-it-takes').filter({ hasText: 'Что нужно' }).waitFor();
    await phone.close();
  });
});
