/* global document, window -- in page.evaluate callbacks, which run in the browser */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

/**
 * The director's whole path in Russian, by clicking only, from the signed-out home page: sign in
 * as the demo director, open the simulator from the header, load the company's sellers, run, apply
 * a remedy, save the draft, launch it through the launch gate with a reason, show it on a new TV,
 * open that TV, and see a deal posted through the API arrive on it. A screenshot of every step.
 */
describe('the director’s path from the model to the TV (ru)', () => {
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

  async function call(token, method, path, body) {
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
    return text === '' ? null : JSON.parse(text);
  }

  /** Nothing wider than the screen. */
  async function assertFits(page, step) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `${step}: the page is ${overflow}px wider than the screen`);
  }

  async function step(page, name) {
    await assertFits(page, name);
    await screenshot(page, `director-path-${name}`);
  }

  it('goes from the home page to a deal on the office TV', async () => {
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // Signed out: what Podium is, and the demo accounts. The director's signs in.
    await page.goto(`${app.url}/`);
    await page.getByTestId('demo-account').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    await step(page, '01-home');
    await page.locator('[data-testid="demo-account"][data-role="director"]').click();
    const header = page.getByTestId('app-header');
    await header.waitFor();
    await page.getByTestId('home-simulate').waitFor();
    await step(page, '02-dashboard');

    // The simulator, through the header.
    await header.getByRole('link', { name: 'Симулятор' }).click();
    await page.getByTestId('sim-name').waitFor();
    // This month, so that the launched contest is live and counts today's deals.
    const now = new Date();
    const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    const name = 'Спринт проверки пути';
    await page.getByTestId('sim-name').fill(name);
    await page.locator('[data-path="period.start"] input').fill(iso(start));
    await page.locator('[data-path="period.end"] input').fill(iso(end));
    await page.getByRole('button', { name: 'Загрузить участников' }).click();
    await page.getByTestId('sim-participants').locator('tbody tr').nth(39).waitFor();
    await page.getByTestId('sim-trials').fill('2000');
    await page.getByRole('button', { name: 'Запустить симуляцию' }).click();
    await page
      .locator('[data-testid="sim-progress"][aria-valuenow="100"]')
      .waitFor({ timeout: 120_000 });
    await page.getByTestId('sim-verdict').waitFor();
    await step(page, '03-simulated');

    // A remedy rewrites the rules; the draft is saved with them.
    const remedy = page.getByTestId('sim-remedy').first();
    await remedy.getByRole('button', { name: 'Применить к правилам' }).click();
    await page.getByText('Исправление применено: запустите расчёт снова.').waitFor();
    // The newcomer league gives each prize a league, named in Russian in its list.
    const league = page.locator('select:has(option[value="veteran"])').first();
    assert.equal((await league.locator('option:checked').textContent()).trim(), 'Опытные');
    await step(page, '04-remedy');
    await page.getByRole('button', { name: 'Сохранить черновик' }).click();
    await page.waitForURL(/\/simulate\?contest=/);
    const contestId = new URL(page.url()).searchParams.get('contest');
    await step(page, '05-saved');

    // Launch: the rules changed since the run, so nothing approved judged them: the gate asks why.
    await page.getByRole('button', { name: 'Запустить', exact: true }).click();
    await page.getByRole('button', { name: 'Да, запустить' }).click();
    const gate = page.getByTestId('launch-gate');
    await gate.waitFor();
    assert.equal(await gate.getAttribute('data-gate'), 'not_simulated');
    await page
      .getByTestId('override-reason')
      .fill('пилот: лига новичков проверена на прошлом месяце');
    await step(page, '06-launch-gate');
    await page.getByTestId('override').click();
    await page.getByRole('link', { name: 'Открыть конкурс' }).click();
    await page.waitForURL(`**/contests/${contestId}`);
    await page.getByTestId('summary').waitFor();
    // The criterion was left without a title: its column is named by the metric, in Russian.
    await page.getByTestId('criterion-header').first().waitFor();
    assert.deepEqual(await page.getByTestId('criterion-header').allTextContents(), ['Оборот']);
    // The audit trail keeps the override's reason, in words.
    await page
      .getByTestId('audit')
      .getByText('запущен в обход проверки (не моделировался); причина: пилот: лига новичков')
      .waitFor();
    await step(page, '07-contest');

    // Show on a TV: a new display, in Russian, with this contest; its address and QR code.
    await page.getByTestId('show-on-tv').click();
    const dialog = page.getByTestId('show-on-tv-dialog');
    await dialog.locator('select[name=display]').selectOption('');
    await dialog.locator('input[name=name]').fill('Переговорная');
    await dialog.locator('select[name=language]').selectOption('ru');
    await dialog.locator('button[type=submit]').click();
    await dialog.getByTestId('show-on-tv-qr').waitFor();
    const tvUrl = await dialog.getByTestId('show-on-tv-url').getAttribute('href');
    assert.match(tvUrl, /\/tv\/pdd_/);
    await step(page, '08-show-on-tv');

    // The TV, opened at its address: the contest is on it.
    const tvContext = await chromium.browser.newContext({
      viewport: viewports.tv,
      locale: 'en-US',
    });
    const tv = await tvContext.newPage();
    tv.on('pageerror', (error) => errors.push(`tv: ${error.message}`));
    await tv.goto(tvUrl.replace(/^https?:\/\/[^/]+/, app.url));
    await tv.getByTestId('tv-contest-name').filter({ hasText: name }).waitFor();
    assert.equal(await tv.evaluate(() => document.documentElement.lang), 'ru');
    // Four prizes (the remedy's newcomer league has its own): the fund meter still shows whole
    // under the prizes beside the leaderboard.
    const clipped = await tv.evaluate(() => {
      const column = document.querySelector('section.prizes');
      const fund = column.querySelector('[data-testid="fund-meter"]');
      return fund.getBoundingClientRect().bottom - column.getBoundingClientRect().bottom;
    });
    await screenshot(tv, 'director-path-09-tv');
    assert.ok(clipped <= 0.5, `the fund meter is cut by ${clipped}px`);

    // A deal through the API reaches the TV.
    const token = await page.evaluate(
      () => JSON.parse(localStorage.getItem('podium.session')).token,
    );
    // Deals are posted by an admin (or an API key), as a CRM connector would.
    const adminToken = await app.signIn();
    const standings = await call(token, 'GET', `/contests/${contestId}/standings`);
    const seller = standings.standings.find((row) => row.participantId === 'demo-01');
    const dealAt = new Date(Date.now() - 1_000);
    await call(adminToken, 'POST', '/events', {
      type: 'sale',
      externalId: `director-path-${Date.now()}`,
      source: 'test',
      participantId: 'demo-01',
      occurredAt: dealAt.toISOString(),
      amountMinor: 45_600_000,
      marginMinor: 9_000_000,
    });
    await tv.getByTestId('tv-deal').filter({ hasText: seller.name }).first().waitFor();
    await screenshot(tv, 'director-path-10-tv-deal');
    await tv.locator('[data-testid="tv-slide"][data-slide="prizes"]').waitFor({ timeout: 60_000 });
    await tv.waitForTimeout(900); // the slide finishes fading in
    await screenshot(tv, 'director-path-11-tv-prizes');

    const after = await call(token, 'GET', `/contests/${contestId}/standings`);
    assert.equal(after.seq > standings.seq, true);
    const audit = await call(token, 'GET', `/contests/${contestId}/audit`);
    assert.deepEqual(audit.find((row) => row.action === 'launched').details.override, {
      reason: 'пилот: лига новичков проверена на прошлом месяце',
      gate: 'not_simulated',
    });
    assert.deepEqual(errors, []);
    await tvContext.close();
    await context.close();
  });
});
