/* global document -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const manager = { email: 'manager@demo.local', password: 'demo' };
/** The demo seller's personal link, printed at start. */
const DEMO_LINK = 'pdp_demo';
/** The forecast is computed in the background on two busy cores: wait for it generously. */
const FORECAST_MS = 300_000;
/** While deals arrive, a forecast at most this often (the default is a minute). */
const FORECAST_INTERVAL_SECONDS = 10;

/** The whole units after "≈" in "в таком темпе: ≈ 1 234 567 ₽" / "at this pace: ≈ ₽1,234,567". */
const amountOf = (text) => Number((text.split('≈')[1] ?? '').replace(/\D/gu, ''));

/** A chance as the screens show it: a whole percent, or "<1 %" / ">99 %" short of certainty. */
const CHANCE = /(?:[<>]\s?)?\d{1,3}\s?%/u;

/** The live forecast on the TV, the phone and the contest page of the six-month demo contest. */
describe('live forecast on the screens', () => {
  let app;
  let chromium;
  let token;
  let marathon;
  let display;
  /** The standings' seq once the demo is seeded: a forecast from before counted none of its deals. */
  let seeded;

  /** Calls the API as the given bearer; throws on a non-2xx with the answer. */
  async function call(bearer, method, path, body) {
    const response = await fetch(`${app.url}/api${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** The contest's forecast as staff read it, once there is one (computed in the background). */
  async function forecastOf(contestId, minSeq = seeded) {
    const deadline = Date.now() + FORECAST_MS;
    for (;;) {
      const response = await fetch(`${app.url}/api/contests/${contestId}/forecast`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) {
        const forecast = await response.json();
        if (forecast.seq >= minSeq) return forecast;
      }
      if (Date.now() > deadline) throw new Error(`no forecast of ${contestId} at seq ${minSeq}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** Waits until the element's `data-forecast-seq` reaches `seq`: a forecast event arrived. */
  async function forecastSeqReaches(page, testid, seq) {
    await page.waitForFunction(
      ([id, min]) =>
        [...document.querySelectorAll(`[data-testid="${id}"]`)].some(
          (element) => Number(element.getAttribute('data-forecast-seq') ?? -1) >= min,
        ),
      [testid, seq],
      { timeout: FORECAST_MS, polling: 250 },
    );
  }

  /** Waits for the slide's fade-in and every one-off animation to end, for a still screenshot. */
  async function settle(page) {
    await page.waitForTimeout(900);
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
          .map((animation) => animation.finished.catch(() => undefined)),
      ),
    );
  }

  const noSideways = (page) =>
    page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );

  /** Whether an element's text is cut: wider or taller than its box shows. */
  const clipped = (locator) =>
    locator.evaluate(
      (element) =>
        element.scrollWidth > element.clientWidth + 1 ||
        element.scrollHeight > element.clientHeight + 1,
    );

  before(async () => {
    app = await startApp({ PODIUM_FORECAST_INTERVAL_SECONDS: String(FORECAST_INTERVAL_SECONDS) });
    chromium = await launchBrowser();
    token = (await call(null, 'POST', '/auth/login', admin)).token;
    const contests = await call(token, 'GET', '/contests');
    marathon = contests.find((contest) => contest.name === 'Полугодовой марафон');
    assert.ok(marathon, 'the demo has its six-month contest');
    seeded = (await call(token, 'GET', `/contests/${marathon.id}/standings`)).seq;
    display = await call(token, 'POST', '/displays', {
      name: 'Forecast TV',
      contestIds: [marathon.id],
      language: 'ru',
      slides: ['leaderboard'],
      slideSeconds: 600,
    });
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  it('has a forecast of the six-month contest with a fund above zero and every prize’s chance', async () => {
    const forecast = await forecastOf(marathon.id);
    assert.equal(forecast.final, false);
    assert.ok(forecast.fund.p50Minor > 0, `fund at this pace: ${forecast.fund.p50Minor}`);
    assert.equal(forecast.prizes.length, marathon.prizes.length);
  });

  for (const { lang, locale, pace, slideTitle } of [
    { lang: 'ru', locale: 'ru-RU', pace: 'в таком темпе:', slideTitle: 'Шансы на призы' },
    { lang: 'en', locale: 'en-US', pace: 'at this pace:', slideTitle: 'Chances of a prize' },
  ]) {
    it(`TV (${lang}): the fund at this pace, each prize's chance, the contenders' slide`, async () => {
      const forecast = await forecastOf(marathon.id);
      await call(token, 'PATCH', `/displays/${display.id}`, {
        language: lang,
        slides: ['leaderboard'],
      });
      const context = await chromium.browser.newContext({ viewport: viewports.tv, locale });
      const page = await context.newPage();
      await page.goto(`${app.url}/tv/${display.token}`);
      await page.locator(`html[lang="${lang}"]`).waitFor({ timeout: 60_000 });
      const meter = page.getByTestId('fund-meter');
      const paceLine = meter.getByTestId('fund-pace');
      await paceLine.waitFor({ timeout: FORECAST_MS });
      const paceText = await paceLine.textContent();
      assert.ok(paceText.includes(pace), paceText);
      assert.ok(amountOf(paceText) > 0, `the fund at this pace is above zero: ${paceText}`);
      const chances = meter.getByTestId('fund-chance');
      assert.equal(await chances.count(), forecast.prizes.length);
      for (const text of await chances.allTextContents()) assert.match(text, CHANCE);
      assert.equal(await clipped(paceLine), false, 'the pace figure is not cut');
      // The prize column shows the whole meter: nothing of it is cut at the column's bottom.
      const column = await page.locator('section.prizes').boundingBox();
      const chancesBox = await meter.getByTestId('fund-chances').boundingBox();
      assert.ok(
        chancesBox.y + chancesBox.height <= column.y + column.height + 1,
        'the chances fit in the prize column',
      );
      assert.ok((await noSideways(page)) <= 0);
      await settle(page);
      await screenshot(page, `forecast-tv-1080-${lang}-leaderboard`);

      // The prizes slide: the chances under each prize's title.
      await call(token, 'PATCH', `/displays/${display.id}`, { slides: ['prizes'] });
      await page.locator('[data-testid="tv-slide"][data-slide="prizes"]').waitFor({
        timeout: 60_000,
      });
      const titled = page.getByTestId('fund-chance');
      await titled.first().waitFor({ timeout: FORECAST_MS });
      assert.equal(await titled.count(), forecast.prizes.length);
      const titles = (await titled.allTextContents()).join(' ');
      for (const prize of forecast.prizes) assert.ok(titles.includes(prize.title), prize.title);
      await settle(page);
      await screenshot(page, `forecast-tv-1080-${lang}-prizes`);

      // The contenders' slide: the highest chances of a prize, named, with their figures.
      await call(token, 'PATCH', `/displays/${display.id}`, { slides: ['contenders'] });
      await page.locator('[data-testid="tv-slide"][data-slide="contenders"]').waitFor({
        timeout: 60_000,
      });
      assert.equal(await page.getByTestId('tv-slide-name').textContent(), slideTitle);
      const rows = page.getByTestId('tv-contender');
      await rows.first().waitFor({ timeout: FORECAST_MS });
      assert.equal(await rows.count(), Math.min(10, forecast.participants.length));
      // Names come from the standings: none left as a placeholder.
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('[data-testid="tv-contender"] .name')].every(
            (name) => !name.textContent.startsWith('…'),
          ),
        undefined,
        { timeout: 60_000 },
      );
      for (const text of await page.getByTestId('tv-contender-chance').allTextContents()) {
        assert.match(text, CHANCE);
      }
      const rowBox = await rows.last().boundingBox();
      const tickerBox = await page.getByTestId('tv-ticker').boundingBox();
      assert.ok(rowBox.y + rowBox.height <= tickerBox.y, 'the last contender is above the ticker');
      assert.ok(rowBox.height >= 30, `a contender's row is tall enough to read: ${rowBox.height}`);
      assert.ok((await noSideways(page)) <= 0);
      await settle(page);
      await screenshot(page, `forecast-tv-1080-${lang}-contenders`);
      await context.close();
    });
  }

  it('TV: a new forecast arrives over the socket after a sale, without a reload', async () => {
    await call(token, 'PATCH', `/displays/${display.id}`, {
      language: 'ru',
      slides: ['leaderboard'],
    });
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'ru-RU' });
    const page = await context.newPage();
    let loads = 0;
    page.on('load', () => (loads += 1));
    await page.goto(`${app.url}/tv/${display.token}`);
    await page.getByTestId('fund-pace').waitFor({ timeout: FORECAST_MS });
    const shown = Number(await page.getByTestId('fund-meter').getAttribute('data-forecast-seq'));

    // A large sale now moves the standings' seq; the forecast that counts it reaches the TV.
    await call(token, 'POST', '/events', {
      type: 'sale',
      externalId: `forecast-test-${Date.now()}`,
      source: 'test',
      participantId: 'demo-05',
      occurredAt: new Date().toISOString(),
      amountMinor: 400_000_000,
      marginMinor: 120_000_000,
    });
    const { seq } = await call(token, 'GET', `/contests/${marathon.id}/standings`);
    assert.ok(seq > shown, `the sale moved the seq past the forecast shown (${shown} → ${seq})`);
    const next = await forecastOf(marathon.id, seq);
    await forecastSeqReaches(page, 'fund-meter', next.seq);
    // What the TV shows is the forecast it names: its fund at this pace, as the API gives it.
    const deadline = Date.now() + FORECAST_MS;
    for (;;) {
      const onScreen = Number(
        await page.getByTestId('fund-meter').getAttribute('data-forecast-seq'),
      );
      const text = await page.getByTestId('fund-pace').textContent();
      const latest = await forecastOf(marathon.id, onScreen);
      if (latest.seq === onScreen) {
        assert.equal(amountOf(text), Math.round(latest.fund.p50Minor / 100), text);
        break;
      }
      assert.ok(Date.now() < deadline, 'the TV caught up with the latest forecast');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(loads, 1, 'the page was not reloaded');
    await context.close();
  });

  for (const { lang, locale, yours } of [
    { lang: 'ru', locale: 'ru-RU', yours: 'Ваш шанс на приз' },
    { lang: 'en', locale: 'en-US', yours: 'Your chance of a prize' },
  ]) {
    it(`phone (${lang}): the seller's chance of a prize, its trend, the fund at this pace and each prize's chance`, async () => {
      const forecast = await forecastOf(marathon.id);
      const opened = await call(null, 'POST', '/personal-links/open', { token: DEMO_LINK });
      // The month 2 results are published (once): the forecast kept with them is the point the
      // trend since the last checkpoint starts from.
      const checkpoints = await call(token, 'GET', `/contests/${marathon.id}/checkpoints`);
      const second = checkpoints.find((checkpoint) => checkpoint.number === 2);
      assert.ok(second, 'the demo has the month 2 checkpoint');
      if (second.publishedAt === null) {
        await call(token, 'POST', `/contests/${marathon.id}/checkpoints/2/publish`);
      }
      const deadline = Date.now() + FORECAST_MS;
      let history;
      for (;;) {
        history = await call(DEMO_LINK, 'GET', `/contests/${marathon.id}/forecast/history`);
        if (history.points.some((point) => point.checkpoint === 2)) break;
        assert.ok(Date.now() < deadline, 'the month 2 results keep a forecast');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      // The seller's link sees only their own chances in the history.
      for (const point of history.points) {
        assert.deepEqual(
          point.participants.map((row) => row.participantId),
          [opened.participantId],
        );
      }
      const today = forecast.asOf.slice(0, 10);
      const trends = history.points.some((point) => point.day < today) ? 2 : 1;

      const context = await chromium.browser.newContext({ viewport: viewports.phone, locale });
      await context.addInitScript((language) => {
        localStorage.setItem('podium.locale', language);
      }, lang);
      const page = await context.newPage();
      await page.goto(`${app.url}/m/p/${DEMO_LINK}?contest=${marathon.id}`);
      const chance = page.getByTestId('mobile-chance');
      await chance.waitFor({ timeout: FORECAST_MS });
      assert.ok((await chance.textContent()).includes(yours));
      assert.match(await page.getByTestId('mobile-chance-value').textContent(), CHANCE);
      const trendLines = page.getByTestId('mobile-chance-trend');
      await trendLines.nth(trends - 1).waitFor({ timeout: FORECAST_MS });
      assert.equal(await trendLines.count(), trends);
      for (const text of await trendLines.allTextContents()) {
        assert.match(text, lang === 'ru' ? /[+−±]\d+ п\. п\./u : /[+−±]\d+ pp/u);
      }
      assert.match(
        await trendLines.last().textContent(),
        lang === 'ru' ? /с итогов месяца 2/u : /since the month 2 results/u,
      );
      const meter = page.getByTestId('fund-meter');
      await meter.getByTestId('fund-pace').waitFor({ timeout: FORECAST_MS });
      assert.equal(await meter.getByTestId('fund-chance').count(), forecast.prizes.length);
      assert.ok((await noSideways(page)) <= 0);
      await chance.scrollIntoViewIfNeeded();
      await settle(page);
      await screenshot(page, `forecast-phone-${lang}`);
      await meter.scrollIntoViewIfNeeded();
      await screenshot(page, `forecast-phone-${lang}-fund`);

      // A new forecast reaches the phone over the socket.
      const shown = Number(await chance.getAttribute('data-forecast-seq'));
      await call(token, 'POST', '/events', {
        type: 'sale',
        externalId: `forecast-phone-${lang}-${Date.now()}`,
        source: 'test',
        participantId: opened.participantId,
        occurredAt: new Date().toISOString(),
        amountMinor: 50_000_000,
        marginMinor: 15_000_000,
      });
      const { seq } = await call(token, 'GET', `/contests/${marathon.id}/standings`);
      assert.ok(seq > shown);
      const next = await forecastOf(marathon.id, seq);
      await forecastSeqReaches(page, 'mobile-chance', next.seq);
      await context.close();
    });
  }

  for (const { lang, locale, title } of [
    { lang: 'ru', locale: 'ru-RU', title: 'Прогноз' },
    { lang: 'en', locale: 'en-US', title: 'Forecast' },
  ]) {
    it(`contest page (${lang}): the forecast over time and the pace against plan`, async () => {
      await forecastOf(marathon.id);
      const context = await chromium.browser.newContext({ viewport: viewports.tv, locale });
      await context.addInitScript((language) => {
        localStorage.setItem('podium.locale', language);
      }, lang);
      const page = await context.newPage();
      await page.goto(`${app.url}/contests/${marathon.id}`);
      await page.waitForURL((url) => url.pathname === '/login');
      await page.locator('input[type=email]').fill(manager.email);
      await page.locator('input[type=password]').fill(manager.password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL((url) => url.pathname === `/contests/${marathon.id}`);
      const panel = page.getByTestId('manager-forecast');
      await panel.waitFor({ timeout: FORECAST_MS });
      assert.equal(await page.locator('#forecast-title').textContent(), title);
      await panel.getByTestId('chart-forecast').waitFor({ timeout: 120_000 });
      await panel.getByTestId('chart-pace').waitFor({ timeout: 120_000 });
      const pace = await panel.getByTestId('forecast-pace').textContent();
      assert.match(pace, /\d\s?%/u);
      const fund = await panel.getByTestId('forecast-fund').textContent();
      assert.ok(Number(fund.replace(/\D/gu, '')) > 0, fund);
      assert.ok((await noSideways(page)) <= 0);
      await panel.scrollIntoViewIfNeeded();
      await settle(page);
      await screenshot(page, `forecast-manager-${lang}`);

      // A new forecast reaches the page over the socket.
      const shown = Number(await panel.getAttribute('data-forecast-seq'));
      await call(token, 'POST', '/events', {
        type: 'sale',
        externalId: `forecast-manager-${lang}-${Date.now()}`,
        source: 'test',
        participantId: 'demo-03',
        occurredAt: new Date().toISOString(),
        amountMinor: 30_000_000,
        marginMinor: 9_000_000,
      });
      const { seq } = await call(token, 'GET', `/contests/${marathon.id}/standings`);
      assert.ok(seq > shown);
      const next = await forecastOf(marathon.id, seq);
      await forecastSeqReaches(page, 'manager-forecast', next.seq);
      await context.close();
    });
  }

  it("contest page: warns staff when the chance that every prize unlocks fell below the approved scenario's", async () => {
    // A copy of the six-month contest whose prizes cost a hundred times more, approved with a
    // run in which every prize was always funded: its forecast falls far below.
    const draft = await call(token, 'POST', `/contests/${marathon.id}/clone`, {
      name: 'Марафон: проверка прогноза',
    });
    const file = await call(token, 'GET', `/contests/${draft.id}/file`);
    await call(token, 'PUT', `/contests/${draft.id}`, {
      ...file,
      prizes: file.prizes.map((prize) => ({ ...prize, costMinor: prize.costMinor * 100 })),
    });
    await call(token, 'PUT', `/contests/${draft.id}/scenario`, {
      scenario: { uplift: 0.1, correlation: 0.3, trials: 1000, seed: 1 },
      verdict: 'balanced',
      pAllPrizesFunded: 1,
    });
    await call(token, 'POST', `/contests/${draft.id}/launch`);
    const forecast = await forecastOf(draft.id, 0);
    assert.equal(forecast.approved.pAllPrizesFunded, 1);
    assert.equal(
      forecast.approved.below,
      1 - forecast.pAllPrizesFunded > forecast.approved.alertMargin,
    );
    assert.ok(forecast.approved.below, `below the approved: ${forecast.pAllPrizesFunded}`);

    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'ru-RU' });
    await context.addInitScript(() => localStorage.setItem('podium.locale', 'ru'));
    const page = await context.newPage();
    await page.goto(`${app.url}/contests/${draft.id}`);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.locator('input[type=email]').fill(manager.email);
    await page.locator('input[type=password]').fill(manager.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === `/contests/${draft.id}`);
    const alert = page.getByTestId('forecast-alert');
    await alert.waitFor({ timeout: FORECAST_MS });
    const text = await alert.textContent();
    assert.match(text, /Шанс, что откроются все призы/u);
    assert.match(text, /100\s?%|>99\s?%/u);
    assert.match(
      text,
      new RegExp(`${Math.round(100 * forecast.approved.alertMargin)} п\\. п\\.`, 'u'),
    );
    await alert.scrollIntoViewIfNeeded();
    await settle(page);
    await screenshot(page, 'forecast-manager-alert-ru');
    await context.close();
  });
});
