/* global document -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, screenshotDir, startApp, viewports } from './harness.mjs';

const SELLER = 'seller@demo.local';

/** The seller's phone at 390×844: sign-in, rank, points, breakdown and what it takes. */
describe('seller phone (/m)', () => {
  let app;
  let chromium;
  let adminToken;
  let sellerPassword;

  async function login(email, password) {
    const response = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return response.ok ? (await response.json()).token : null;
  }

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    adminToken = await login('admin@demo.local', 'demo');
    assert.ok(adminToken, 'the demo admin signs in');
    // The demo seeds seller@demo.local / demo; where it does not (yet), an admin creates them.
    sellerPassword = 'demo';
    if ((await login(SELLER, sellerPassword)) === null) {
      sellerPassword = 'demo-seller-01';
      const response = await fetch(`${app.url}/api/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          email: SELLER,
          password: sellerPassword,
          role: 'seller',
          participantId: 'demo-01',
        }),
      });
      assert.equal(response.status, 201, await response.text());
    }
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  async function fullScreenshot(page, name) {
    await fs.mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  }

  async function signIn(page, email, password) {
    await page.locator('input[type="email"]').fill(email);
    await page.locator('input[type="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
  }

  for (const { locale, lang, place, takes, breakdown, all } of [
    {
      locale: 'ru-RU',
      lang: 'ru',
      place: 'Место',
      takes: 'Что нужно',
      breakdown: 'Баллы по критериям',
      all: 'Весь рейтинг',
    },
    {
      locale: 'en-US',
      lang: 'en',
      place: 'Place',
      takes: 'What it takes',
      breakdown: 'Points by criterion',
      all: 'Full ranking',
    },
  ]) {
    it(`shows a signed-in seller their rank, breakdown and what it takes (${lang})`, async () => {
      const context = await chromium.browser.newContext({ viewport: viewports.phone, locale });
      const page = await context.newPage();
      await page.goto(`${app.url}/m`);
      // No session: to the sign-in page, and back to /m after it.
      await page.waitForURL((url) => url.pathname === '/login' && url.search === '?next=/m');
      await signIn(page, SELLER, sellerPassword);
      await page.waitForURL((url) => url.pathname === '/m');

      const hero = page.getByTestId('mobile-hero');
      await hero.filter({ hasText: place }).waitFor();
      const rank = Number(await page.getByTestId('mobile-rank').textContent());
      assert.ok(Number.isInteger(rank) && rank >= 1 && rank <= 40, `rank ${rank}`);
      assert.match(await page.getByTestId('mobile-points').textContent(), /\d/);

      const rows = page.getByTestId('breakdown-row');
      await page.getByTestId('breakdown').filter({ hasText: breakdown }).waitFor();
      assert.ok((await rows.count()) >= 1);
      // The seller's own values are shown, money in roubles: ₽ in both languages.
      await page.getByTestId('breakdown').filter({ hasText: '₽' }).waitFor();

      const whatItTakes = page.getByTestId('what-it-takes');
      await whatItTakes.filter({ hasText: takes }).waitFor();
      const text = await whatItTakes.textContent();
      assert.match(text, /\+\s?[\d\s  ,.]+|already|уже|first|первый/i, text);

      await page.getByTestId('neighbors').locator('li.self').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= viewports.phone.width, `nothing overflows sideways (${width}px)`);
      await screenshot(page, `mobile-${lang}`);

      // The full list, read over REST when opened.
      await page.getByText(all).click();
      const list = page.getByTestId('full-list').locator('li');
      await list.nth(39).waitFor();
      await list.filter({ hasText: /./ }).locator('.you').first().waitFor();
      await fullScreenshot(page, `mobile-${lang}-full`);
      await context.close();
    });
  }

  it('lets staff view the screen of a participant they name', async () => {
    const context = await chromium.browser.newContext({
      viewport: viewports.phone,
      locale: 'en-US',
    });
    const page = await context.newPage();
    const contests = await fetch(`${app.url}/api/contests`, {
      headers: { authorization: `Bearer ${adminToken}` },
    }).then((response) => response.json());
    const contest = contests.find((candidate) => candidate.state === 'live');
    await page.goto(`${app.url}/m/${contest.id}/demo-05`);
    await page.waitForURL((url) => url.pathname === '/login');
    await signIn(page, 'admin@demo.local', 'demo');
    await page.waitForURL((url) => url.pathname === `/m/${contest.id}/demo-05`);
    await page.getByText(/^Viewing as /).waitFor();
    await page.getByTestId('mobile-rank').waitFor();
    await page.getByTestId('what-it-takes').waitFor();
    await screenshot(page, 'mobile-en-staff');
    // Back to the list of participants, and on to another one.
    await page.getByRole('link', { name: 'Change' }).click();
    await page.getByText('Pick a participant to see their screen').waitFor();
    const other = page.getByTestId('full-list').locator('a').nth(2);
    await other.waitFor();
    await other.click();
    await page.waitForURL((url) => url.pathname.startsWith(`/m/${contest.id}/`));
    await page.getByText(/^Viewing as /).waitFor();
    await context.close();
  });
});
