/* global document -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const viewport4k = { width: 3840, height: 2160 };

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

/** Whether two boxes share any area. */
function overlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const noSideways = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Displays configured by an administrator: language, slides, seconds, winners, Show on a TV. */
describe('TV displays configured, not URL-tweaked', () => {
  let app;
  let chromium;
  let token;
  let contests;
  let marathon;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    token = (await call(app, null, 'POST', '/auth/login', admin)).token;
    contests = await call(app, token, 'GET', '/contests');
    marathon = contests.find((contest) =>
      contest.prizes.some((prize) => prize.league === 'newcomer'),
    );
    assert.ok(marathon, 'a demo contest has a newcomers league');
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  /** Posts one sale of a demo seller now, for a celebration. */
  async function deal(id) {
    await call(app, token, 'POST', '/events', {
      type: 'sale',
      externalId: `tv-display-${id}-${Date.now()}`,
      source: 'test',
      participantId: 'demo-02',
      occurredAt: new Date().toISOString(),
      amountMinor: 4_200_000,
      marginMinor: 1_000_000,
    });
  }

  it('speaks the display language in an English browser, rotates through its slides and follows a change without a reload', async () => {
    const display = await call(app, token, 'POST', '/displays', {
      name: 'Marathon TV',
      contestIds: [marathon.id],
      language: 'ru',
      slides: ['leaderboard', 'prizes', 'newcomers', 'deals'],
      slideSeconds: 5,
    });
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(display.url.replace(/^https?:\/\/[^/]+/, app.url));
    await page.getByTestId('tv-contest-name').waitFor();
    await page.locator('html[lang="ru"]').waitFor();
    // No remembered choice of the browser's language is left behind by the TV.
    assert.equal(await page.evaluate(() => localStorage.getItem('podium.locale')), null);

    const slide = page.getByTestId('tv-slide');
    const seen = [];
    for (const [kind, title] of [
      ['leaderboard', 'Рейтинг'],
      ['prizes', 'Призы и фонд'],
      ['newcomers', 'Лига новичков'],
      ['deals', 'Последние сделки'],
    ]) {
      await page.locator(`[data-testid="tv-slide"][data-slide="${kind}"]`).waitFor({
        timeout: 20_000,
      });
      seen.push(await slide.getAttribute('data-slide'));
      assert.equal(await page.getByTestId('tv-slide-name').textContent(), title);
      await page.waitForTimeout(900); // the slide finishes fading in
      if (kind === 'deals') await deal('ru');
      await screenshot(page, `tv-display-1080-ru-${kind}`);
    }
    assert.deepEqual(seen, ['leaderboard', 'prizes', 'newcomers', 'deals']);
    assert.ok((await noSideways(page)) <= 0);

    // The administrator switches it to English with two slides: the open TV follows.
    await call(app, token, 'PATCH', `/displays/${display.id}`, {
      language: 'en',
      slides: ['deals', 'leaderboard'],
    });
    await page.locator('html[lang="en"]').waitFor({ timeout: 20_000 });
    for (const [kind, title] of [
      ['deals', 'Latest deals'],
      ['leaderboard', 'Leaderboard'],
      ['deals', 'Latest deals'],
    ]) {
      await page
        .locator(`[data-testid="tv-slide"][data-slide="${kind}"]`)
        .waitFor({ timeout: 20_000 });
      assert.equal(await page.getByTestId('tv-slide-name').textContent(), title);
      await page.waitForTimeout(900);
      await screenshot(page, `tv-display-1080-en-${kind}`);
    }
    assert.equal(await page.locator('[data-slide="prizes"]').count(), 0);
    await context.close();
  });

  it('keeps the NEW DEAL pill off the ticker at 1920×1080 and 3840×2160', async () => {
    const display = await call(app, token, 'POST', '/displays', {
      name: 'Pill TV',
      contestIds: [contests[0].id],
      language: 'en',
      slides: ['leaderboard'],
    });
    for (const [size, viewport] of [
      ['1080', viewports.tv],
      ['4k', viewport4k],
    ]) {
      const context = await chromium.browser.newContext({ viewport, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${app.url}/tv/${display.token}`);
      await page.getByTestId('tv-row').nth(9).waitFor();
      // The demo posts deals too; fill the ticker so the pill has deals to cover if it could.
      for (let index = 0; index < 8; index += 1) await deal(`${size}-${index}`);
      const pill = page.getByTestId('tv-celebration');
      await pill.waitFor();
      await page.waitForTimeout(600); // the pop animation settles at full size
      const pillBox = await pill.boundingBox();
      const tickerBox = await page.getByTestId('tv-ticker').boundingBox();
      assert.ok(pillBox && tickerBox);
      assert.ok(
        !overlap(pillBox, tickerBox),
        `the pill ${JSON.stringify(pillBox)} covers the ticker ${JSON.stringify(tickerBox)}`,
      );
      for (const dealBox of await Promise.all(
        (await page.getByTestId('tv-deal').all()).map((item) => item.boundingBox()),
      )) {
        if (dealBox && dealBox.y < tickerBox.y + tickerBox.height)
          assert.ok(!overlap(pillBox, dealBox), 'the pill covers a deal');
      }
      assert.ok(pillBox.y + pillBox.height <= viewport.height, 'the pill is on the screen');
      await screenshot(page, `tv-display-${size}-en-pill`);
      await context.close();
    }
  });

  it('shows the winners when the contest closes', async () => {
    const live = contests.find((contest) => contest.state === 'live');
    const file = await call(app, token, 'GET', `/contests/${live.id}/file`);
    const start = new Date(Date.now() - 20 * 86_400_000);
    const created = await call(app, token, 'POST', '/contests', {
      ...file,
      name: 'Spring sprint',
      period: { start: start.toISOString(), end: new Date(Date.now() + 4_000).toISOString() },
      events: [],
    });
    await call(app, token, 'POST', `/contests/${created.id}/launch`, {
      override: { reason: 'browser test of the winner screen' },
    });
    const [winner] = file.participants;
    await call(app, token, 'POST', '/events', {
      type: 'sale',
      source: 'erp',
      externalId: 'winner-screen-1',
      participantId: winner.id,
      occurredAt: new Date(start.getTime() + 86_400_000).toISOString(),
      amountMinor: 900_000_000_00,
      marginMinor: 300_000_000_00,
    });
    const display = await call(app, token, 'POST', '/displays', {
      name: 'Sprint TV',
      contestIds: [created.id],
      language: 'ru',
      slides: ['leaderboard', 'deals'],
      slideSeconds: 60,
    });
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${app.url}/tv/${display.token}`);
    await page.locator('[data-testid="tv-slide"][data-slide="leaderboard"]').waitFor();
    while ((await call(app, token, 'GET', `/contests/${created.id}`)).state !== 'closing') {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await call(app, token, 'POST', `/contests/${created.id}/close`);
    // Within a slide of 60 s: only the close can have brought it.
    await page.locator('[data-testid="tv-slide"][data-slide="winners"]').waitFor({
      timeout: 15_000,
    });
    await page.getByTestId('tv-winner').filter({ hasText: winner.name }).first().waitFor();
    assert.equal(await page.getByTestId('tv-slide-name').textContent(), 'Победители');
    await page.getByTestId('tv-countdown').filter({ hasText: 'Конкурс завершён' }).waitFor();
    await page.waitForTimeout(900);
    await screenshot(page, 'tv-display-1080-ru-winners');
    await context.close();
  });

  for (const [size, viewport] of Object.entries(viewports)) {
    for (const locale of ['ru-RU', 'en-US']) {
      const lang = locale.slice(0, 2);
      it(`configures displays and shows a contest on a TV at ${size} size in ${lang}`, async () => {
        const context = await chromium.browser.newContext({ viewport, locale });
        const page = await context.newPage();
        await signIn(page, app, '/admin/displays');
        const settings = page.getByTestId('display-settings').first();
        await settings.waitFor();
        await screenshot(page, `tv-display-admin-${size}-${lang}`);
        assert.ok((await noSideways(page)) <= 0, 'the admin screen fits');
        // The current section's tab is in view, and on a phone each display is a card whose
        // settings have the screen's width, not a table column's.
        const tab = await page.locator('.layout > nav a[aria-current=page]').evaluate((link) => {
          const row = link.parentElement.getBoundingClientRect();
          const box = link.getBoundingClientRect();
          return { inside: box.left >= row.left - 1 && box.right <= row.right + 1 };
        });
        assert.ok(tab.inside, 'the Displays tab is in view');
        if (size === 'phone') {
          const widths = await page
            .locator('[data-testid=displays] [data-testid=display-settings]')
            .evaluateAll((forms) => forms.map((form) => form.getBoundingClientRect().width));
          assert.ok(widths.length > 0, 'the list shows a display');
          for (const width of widths) {
            assert.ok(width >= viewport.width * 0.7, `a display's settings are ${width} px wide`);
          }
        }

        // Show on a TV, from the contest page: a new display with its address and QR code.
        await page.goto(`${app.url}/contests/${contests[0].id}`);
        await page.getByTestId('show-on-tv').click();
        const dialog = page.getByTestId('show-on-tv-dialog');
        await dialog.locator('select[name=display]').selectOption('');
        await dialog.locator('input[name=name]').fill(`Kitchen ${size} ${lang}`);
        await dialog.locator('select[name=language]').selectOption('en');
        await dialog.locator('button[type=submit]').click();
        const url = await dialog.getByTestId('show-on-tv-url').textContent();
        assert.match(url, /\/tv\/pdd_/);
        await dialog.getByTestId('show-on-tv-qr').waitFor();
        await screenshot(page, `show-on-tv-${size}-${lang}`);
        const made = (await call(app, token, 'GET', '/displays')).find(
          (display) => display.name === `Kitchen ${size} ${lang}`,
        );
        assert.deepEqual(made.contestIds, [contests[0].id]);
        assert.equal(made.language, 'en');
        await context.close();
      });
    }
  }

  it('adds the contest to an existing display beside its others, and reissues its link on purpose', async () => {
    const display = await call(app, token, 'POST', '/displays', {
      name: 'Reception',
      contestIds: [marathon.id],
    });
    const other = contests.find((contest) => contest.id !== marathon.id);
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, app, `/contests/${other.id}`);
    await page.getByTestId('show-on-tv').click();
    const dialog = page.getByTestId('show-on-tv-dialog');
    await dialog.locator('select[name=display]').selectOption(display.id);
    await dialog.locator('button[type=submit]').click();
    await dialog.getByTestId('show-on-tv-done').filter({ hasText: 'Reception' }).waitFor();
    const shown = (await call(app, token, 'GET', '/displays')).find((d) => d.id === display.id);
    assert.deepEqual(shown.contestIds, [marathon.id, other.id]);

    await dialog.getByRole('button', { name: 'New link for this TV' }).click();
    await dialog.getByText('stops showing anything').waitFor();
    await dialog.getByRole('button', { name: 'Replace the link' }).click();
    const url = await dialog.getByTestId('show-on-tv-url').textContent();
    assert.ok(!url.includes(display.token));
    const old = await fetch(`${app.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${display.token}` },
    });
    assert.equal(old.status, 401);
    await screenshot(page, 'show-on-tv-1080-en-new-link');
    await context.close();
  });
});
