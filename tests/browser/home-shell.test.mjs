/* global document, window -- code passed to page.evaluate runs in the page */
// The way in and the one app shell: the signed-out home offers the demo accounts, a click signs
// in, and each role's header leads to every staff page it may open — at TV size and on a phone,
// where the navigation folds behind a menu button and nothing runs off the screen sideways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const LABELS = {
  en: {
    contests: 'Contests',
    simulator: 'Simulator',
    displays: 'Displays',
    admin: 'Administration',
    menu: 'Menu',
    signOut: 'Sign out',
  },
  ru: {
    contests: 'Конкурсы',
    simulator: 'Симулятор',
    displays: 'Экраны',
    admin: 'Администрирование',
    menu: 'Меню',
    signOut: 'Выйти',
  },
};

/** What each role's header offers, and the page each item opens. */
const NAVIGATION = {
  admin: [
    ['contests', '/contests'],
    ['simulator', '/simulate'],
    ['displays', '/admin/displays'],
    ['admin', '/admin'],
  ],
  director: [
    ['contests', '/contests'],
    ['simulator', '/simulate'],
    ['displays', '/admin/displays'],
  ],
  manager: [['contests', '/contests']],
};

/** What shows once each page has loaded its content. */
const READY = {
  '/contests': (page) => page.getByTestId('contests'),
  '/simulate': (page) => page.locator('.layout section'),
  '/admin/displays': (page) => page.locator('main section'),
  '/admin': (page) => page.locator('main section'),
};

/** Fails when the page is wider than the window (something runs off sideways). */
async function assertNoSidewaysOverflow(page, where) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(
    scrollWidth <= innerWidth,
    `${where}: ${scrollWidth}px wide in a ${innerWidth}px window`,
  );
}

describe('home and app shell', () => {
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

  async function open(viewport, lang) {
    const context = await chromium.browser.newContext({
      viewport,
      locale: lang === 'ru' ? 'ru-RU' : 'en-US',
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.url);
    return { context, page, errors };
  }

  /** Signs in from the signed-out home by clicking the role's demo account. */
  async function signInByClick(page, role) {
    await page.locator(`[data-testid="demo-account"][data-role="${role}"]`).click();
    await page.getByTestId('app-header').waitFor();
  }

  const header = (page) => page.getByTestId('app-header');
  const navLinks = async (page) =>
    (await header(page).getByRole('navigation').getByRole('link').allTextContents()).map((text) =>
      text.trim(),
    );

  for (const lang of ['en', 'ru']) {
    it(`shows the way in and the demo accounts when signed out (${lang})`, async () => {
      for (const [size, viewport] of Object.entries(viewports)) {
        const { context, page, errors } = await open(viewport, lang);
        const accounts = page.getByTestId('demo-account');
        await accounts.first().waitFor();
        assert.deepEqual(
          await accounts.evaluateAll((buttons) => buttons.map((button) => button.dataset.role)),
          ['admin', 'director', 'manager', 'seller'],
        );
        assert.match(await accounts.first().textContent(), /admin@demo\.local/);
        assert.match(await page.getByTestId('demo-tv').getAttribute('href'), /\/tv\/demo$/);
        assert.match(
          await page.getByTestId('demo-phone').getAttribute('href'),
          /\/m\/p\/pdp_demo$/,
        );
        await page.getByTestId('login-form').waitFor();
        // The system status is in the footer, with the model check a click away.
        await page.getByTestId('home.db').locator('dd.up').waitFor();
        assert.equal(await page.locator('footer a[href="/model"]').count(), 1);
        await assertNoSidewaysOverflow(page, `signed-out home ${size} ${lang}`);
        await screenshot(page, `home-shell-signed-out-${size}-${lang}`);
        assert.deepEqual(errors, []);
        await context.close();
      }
    });
  }

  it('signs the demo director in by a click, and the header leads to Contests, the Simulator and Displays', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en');
    await signInByClick(page, 'director');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(await navLinks(page), ['Contests', 'Simulator', 'Displays']);
    // The dashboard: the demo's live contests with fund and leader, and the way to the simulator.
    const cards = page.getByTestId('home-contest');
    await cards.first().waitFor();
    assert.ok((await cards.count()) >= 2, 'both demo contests are listed');
    await page.locator('[data-testid="home-contest"][data-loaded="true"]').first().waitFor();
    await cards.first().getByText(/₽/).waitFor();
    assert.match(
      await cards.first().locator('a').first().getAttribute('href'),
      /^\/contests\/[0-9a-f-]+$/,
    );
    await page.getByTestId('home-simulate').waitFor();
    await page.getByTestId('home-alerts').waitFor();
    await screenshot(page, 'home-shell-director-tv-en');

    await header(page).getByRole('link', { name: 'Contests' }).click();
    await page.getByTestId('contests').waitFor();
    assert.equal(new URL(page.url()).pathname, '/contests');
    await header(page).getByRole('link', { name: 'Simulator' }).click();
    await page.getByRole('heading', { name: 'Contest simulator' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/simulate');
    assert.deepEqual(await navLinks(page), ['Contests', 'Simulator', 'Displays']);
    await screenshot(page, 'home-shell-simulator-tv-en');
    // A contest card leads to the contest page, which has the same header.
    await header(page).getByRole('link', { name: 'Podium' }).click();
    await cards.first().locator('a').first().click();
    await page.getByTestId('summary').waitFor();
    assert.deepEqual(await navLinks(page), ['Contests', 'Simulator', 'Displays']);
    // The contest's phone view is a click away from its page.
    const contestId = new URL(page.url()).pathname.split('/').pop();
    assert.equal(await page.getByTestId('phone-view').getAttribute('href'), `/m/${contestId}`);
    await screenshot(page, 'home-shell-contest-tv-en');
    // The displays, which a director configures but cannot revoke; nothing else of Administration.
    await header(page).getByRole('link', { name: 'Displays' }).click();
    await page.locator('main section table').waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/displays');
    assert.deepEqual(await page.locator('.layout nav a').allTextContents(), ['Displays']);
    assert.equal(await page.getByRole('button', { name: 'Revoke' }).count(), 0);
    await screenshot(page, 'home-shell-director-displays-tv-en');
    await page.goto(new URL('/admin/users', page.url()).href);
    await page.getByRole('alert').getByText('This page is for administrators.').waitFor();

    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('demo-account').first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('gives the admin all four items and the manager no simulator, each item opening its page', async () => {
    for (const role of ['admin', 'manager']) {
      const { context, page, errors } = await open(viewports.tv, 'ru');
      await signInByClick(page, role);
      const expected = NAVIGATION[role].map(([key]) => LABELS.ru[key]);
      assert.deepEqual(await navLinks(page), expected);
      for (const [key, path] of NAVIGATION[role]) {
        await header(page).getByRole('link', { name: LABELS.ru[key], exact: true }).click();
        await page.waitForURL((url) => url.pathname === path);
        await header(page).waitFor();
        assert.deepEqual(await navLinks(page), expected, `${role} on ${path}`);
      }
      if (role === 'admin') await screenshot(page, 'home-shell-admin-tv-ru');
      await header(page).getByRole('link', { name: 'Podium' }).click();
      await page.getByTestId('home-contest').first().waitFor();
      if (role === 'manager') {
        await page.locator('[data-testid="home-contest"][data-loaded="true"]').first().waitFor();
        assert.equal(await page.getByTestId('home-simulate').count(), 0);
        await screenshot(page, 'home-shell-manager-tv-ru');
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('sends the demo seller to the phone view', async () => {
    const { context, page, errors } = await open(viewports.phone, 'en');
    await page.locator('[data-testid="demo-account"][data-role="seller"]').click();
    await page.waitForURL((url) => url.pathname.startsWith('/m'));
    await page.goto(app.url);
    const card = page.getByTestId('home-contest').first();
    await card.waitFor();
    assert.match(await card.locator('a').first().getAttribute('href'), /^\/m\/[0-9a-f-]+$/);
    await header(page).getByRole('button', { name: 'Menu' }).click();
    assert.deepEqual(await navLinks(page), ['My phone view']);
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const lang of ['en', 'ru']) {
    it(`folds the navigation behind a menu on a phone, every item reachable (${lang})`, async () => {
      for (const role of ['admin', 'director', 'manager']) {
        const { context, page, errors } = await open(viewports.phone, lang);
        await signInByClick(page, role);
        await page.locator('[data-testid="home-contest"][data-loaded="true"]').first().waitFor();
        await assertNoSidewaysOverflow(page, `${role} home ${lang}`);
        if (role === 'director') await screenshot(page, `home-shell-director-phone-${lang}`);
        for (const [key, path] of NAVIGATION[role]) {
          const link = header(page).getByRole('link', { name: LABELS[lang][key], exact: true });
          // Folded: the item shows only once the menu is open.
          assert.equal(await link.isVisible(), false, `${key} is folded`);
          await header(page).getByRole('button', { name: LABELS[lang].menu }).click();
          await link.waitFor();
          if (role === 'admin' && key === 'contests')
            await screenshot(page, `home-shell-menu-phone-${lang}`);
          await link.click();
          await page.waitForURL((url) => url.pathname === path);
          await header(page).waitFor();
          // Measured once the page has drawn what it loads (a table, the simulator's panels).
          await READY[path](page).first().waitFor();
          await assertNoSidewaysOverflow(page, `${role} ${path} ${lang}`);
          if (role === 'director' && path === '/simulate')
            await screenshot(page, `home-shell-simulator-phone-${lang}`);
        }
        if (role === 'admin') {
          await screenshot(page, `home-shell-admin-phone-${lang}`);
          // The contest page under the same header (its own content is not this test's).
          await header(page).getByRole('link', { name: 'Podium' }).click();
          await page.getByTestId('home-contest').first().locator('a').first().click();
          await page.getByTestId('phone-view').waitFor();
          await page.getByTestId('summary').waitFor();
          await screenshot(page, `home-shell-contest-phone-${lang}`);
        }
        await header(page).getByRole('button', { name: LABELS[lang].menu }).click();
        await header(page).getByRole('button', { name: LABELS[lang].signOut }).click();
        await page.getByTestId('demo-account').first().waitFor();
        assert.deepEqual(errors, []);
        await context.close();
      }
    });
  }
});
