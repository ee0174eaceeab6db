/* global document, getComputedStyle -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports, waitUntil } from './harness.mjs';

const viewport4k = { width: 3840, height: 2160 };

/** The office TV with the demo display: two live contests, a deal every few seconds. */
describe('office TV (/tv/demo)', () => {
  let app;
  let chromium;
  let adminToken;
  let contests;
  let demoDisplay;

  /** The demo display's settings, as an administrator sets them (the TV follows them). */
  async function configure(settings) {
    await call('PATCH', `/displays/${demoDisplay.id}`, settings);
  }

  async function call(method, path, body, token = adminToken) {
    const response = await fetch(`${app.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    adminToken = await app.signIn();
    contests = await call('GET', '/contests', undefined, 'demo');
    assert.ok(contests.length >= 2, 'the demo display shows both demo contests');
    demoDisplay = (await call('GET', '/displays')).find((display) => display.name === 'Demo TV');
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  /** Type big enough for five metres, and nothing wider than the screen. */
  async function assertReadable(page, viewport) {
    const sizes = await page.evaluate(() => {
      const px = (selector) =>
        parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
      return {
        name: px('[data-testid="tv-row"] .name'),
        points: px('[data-testid="tv-row"] .points'),
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
      };
    });
    assert.ok(sizes.name >= 0.032 * viewport.height, `names are ${sizes.name}px`);
    assert.ok(sizes.points > sizes.name, 'points are bigger than names');
    assert.ok(sizes.scrollWidth <= viewport.width, 'nothing overflows sideways');
    assert.ok(sizes.scrollHeight <= viewport.height, 'nothing overflows downwards');
  }

  it('shows the contest, the top 10, the prize and the fund at 1920×1080, and a posted deal without a reload', async () => {
    await configure({ language: 'ru', slides: ['leaderboard'], slideSeconds: 600 });
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${app.url}/tv/demo`);
    const name = page.getByTestId('tv-contest-name');
    await name.waitFor();
    const shown = await name.textContent();
    assert.ok(
      contests.some((contest) => contest.name === shown),
      `"${shown}" is a contest of the display`,
    );
    const contest = contests.find((candidate) => candidate.name === shown);
    await page.getByTestId('tv-row').nth(9).waitFor();
    assert.equal(await page.getByTestId('tv-row').count(), 10);
    await page.getByTestId('fund-value').filter({ hasText: '₽' }).waitFor();
    await page
      .getByTestId('tv-countdown')
      .filter({ hasText: /До конца|До старта|итог/ })
      .waitFor();
    assert.ok((await page.getByTestId('prize-card').count()) >= 1);
    await assertReadable(page, viewports.tv);
    // The screenshot (the README's) once the slide has faded in.
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
          .map((animation) => animation.finished.catch(() => undefined)),
      ),
    );
    await screenshot(page, 'tv-1080-ru');

    // A deal posted through the ingestion API reaches the screen live. The demo posts deals of
    // the same sellers all the time, stamped with the moment it posts them, and the display hides
    // their amounts; so the test's deal happened five minutes ago, and the row looked for shows
    // the seller and that time, which no demo deal posted during the test can show.
    const standings = await call('GET', `/contests/${contest.id}/standings`);
    const seller = standings.standings.find((row) => row.participantId === 'demo-01');
    const externalId = `tv-test-${Date.now()}`;
    const dealAt = new Date(Date.now() - 5 * 60_000);
    await call('POST', '/events', {
      type: 'sale',
      externalId,
      source: 'test',
      participantId: 'demo-01',
      occurredAt: dealAt.toISOString(),
      amountMinor: 12_345_600,
      marginMinor: 3_000_000,
      clientId: externalId,
      isNewClient: true,
    });
    const clock = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit' });
    await page
      .getByTestId('tv-deal')
      .filter({ hasText: seller.name })
      .filter({ hasText: clock.format(dealAt) })
      .first()
      .waitFor();
    await page.waitForTimeout(1200); // the rows finish sliding to their new places
    await screenshot(page, 'tv-1080-ru-deal');

    // Many deals (the server sends at most 5 per 100 ms window): the ticker keeps the latest 20.
    const occurredAt = new Date().toISOString();
    for (let batch = 0; batch < 6; batch += 1) {
      await call(
        'POST',
        '/events',
        Array.from({ length: 5 }, (_, index) => ({
          type: 'sale',
          externalId: `${externalId}-burst-${batch}-${index}`,
          source: 'test',
          participantId: 'demo-01',
          occurredAt,
          amountMinor: 100_000,
          marginMinor: 20_000,
        })),
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await page.getByTestId('tv-deal').nth(19).waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.getByTestId('tv-deal').count(), 20);
    assert.ok((await page.getByTestId('tv-celebration').count()) <= 1);
    await context.close();
  });

  it('draws a placeholder for a prize without a picture, shows an offline banner while the network is gone and recovers by itself', async () => {
    await configure({ language: 'en', slides: ['leaderboard'], slideSeconds: 600 });
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    // A contest whose prizes have no pictures: the image route answers 404.
    await page.route('**/api/contests/*/prizes/*/image**', (route) =>
      route.fulfill({ status: 404, body: '' }),
    );
    await page.goto(`${app.url}/tv/demo`);
    await page.getByTestId('tv-row').nth(9).waitFor();
    await page.getByTestId('prize-card').first().locator('svg.placeholder').waitFor();
    assert.equal(await page.getByTestId('prize-card').locator('img').count(), 0);
    const banner = page.getByTestId('offline-banner');
    assert.equal(await banner.count(), 0);
    await context.setOffline(true);
    await banner.filter({ hasText: /Offline since \d/ }).waitFor({ timeout: 15_000 });
    // The last figures stay on the screen while offline.
    assert.equal(await page.getByTestId('tv-row').count(), 10);
    await screenshot(page, 'tv-1080-en-offline');
    await context.setOffline(false);
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('tv-row').nth(9).waitFor();
    await context.close();
  });

  /** Listeners on `window`: a display that leaks them on every rotation would climb for days. */
  async function windowListeners(page) {
    const cdp = await page.context().newCDPSession(page);
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
      objectId: result.objectId,
    });
    await cdp.detach();
    return listeners.length;
  }

  it('scales to 3840×2160, rotates between the display contests and shows leagues and a published checkpoint', async () => {
    await configure({ language: 'en', slides: ['leaderboard'], slideSeconds: 5 });
    const context = await chromium.browser.newContext({ viewport: viewport4k, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${app.url}/tv/demo`);
    const name = page.getByTestId('tv-contest-name');
    await page.getByTestId('tv-row').nth(9).waitFor();
    const first = await name.textContent();
    const listenersBefore = await windowListeners(page);
    await assertReadable(page, viewport4k);
    await page
      .getByTestId('tv-countdown')
      .filter({ hasText: /Ends in|Starts in|Closing/ })
      .waitFor();
    await screenshot(page, 'tv-4k-en');

    // The marathon has a prize per league; the display rotates to it.
    const marathon = contests.find((contest) =>
      contest.prizes.some((prize) => prize.league !== null),
    );
    assert.ok(marathon, 'a demo contest has leagues');
    await name.filter({ hasText: marathon.name }).waitFor({ timeout: 20_000 });
    await page.getByTestId('prize-card').filter({ hasText: 'Newcomers' }).first().waitFor();
    await page.getByTestId('tv-row').filter({ hasText: 'Veterans' }).first().waitFor();

    // Monthly checkpoints are frozen by the clock; publishing one puts it on the screen.
    const checkpoints = await waitUntil(
      async () => {
        const frozen = await call('GET', `/contests/${marathon.id}/checkpoints`);
        return frozen.length > 0 ? frozen : null;
      },
      { what: 'the marathon has a frozen checkpoint' },
    );
    const latest = Math.max(...checkpoints.map((checkpoint) => checkpoint.number));
    await call('POST', `/contests/${marathon.id}/checkpoints/${latest}/publish`);
    await name.filter({ hasText: marathon.name }).waitFor({ timeout: 20_000 });
    await page
      .getByTestId('tv-checkpoint')
      .filter({ hasText: `Month ${latest} results` })
      .waitFor({ timeout: 20_000 });
    await assertReadable(page, viewport4k);
    await screenshot(page, 'tv-4k-en-leagues');

    // Back on the first contest after a full turn: no listener left behind by the rotations.
    await name.filter({ hasNotText: marathon.name }).waitFor({ timeout: 20_000 });
    assert.equal(await name.textContent(), first);
    await page.getByTestId('tv-row').nth(9).waitFor();
    assert.equal(await windowListeners(page), listenersBefore);
    await context.close();
  });
});
