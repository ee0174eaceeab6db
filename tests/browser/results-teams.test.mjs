/* global document, window -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshotDir, startApp, viewports, waitUntil } from './harness.mjs';

const MARATHON = 'Полугодовой марафон';

/**
 * Monthly results and team standings where people look: the demo marathon started two months
 * ago, so the clock has frozen its first checkpoints; a manager publishes them, and the seller's
 * phone shows them with the team standings, the manager page its Teams panel.
 */
describe('monthly results and team standings', () => {
  let app;
  let chromium;
  let managerToken;
  let marathon;
  let published;

  async function call(method, route, token, body) {
    const response = await fetch(`${app.url}/api${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${route}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  const login = (email) =>
    call('POST', '/auth/login', null, { email, password: 'demo' }).then(({ token }) => token);

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    managerToken = await login('manager@demo.local');
    const contests = await call('GET', '/contests', managerToken);
    marathon = contests.find((contest) => contest.name === MARATHON);
    assert.ok(marathon, 'the demo has its marathon');
    // The clock freezes the checkpoints of the months already over soon after the start.
    const checkpoints = await waitUntil(
      async () => {
        const frozen = await call('GET', `/contests/${marathon.id}/checkpoints`, managerToken);
        return frozen.length >= 2 ? frozen : null;
      },
      { what: 'two months of the marathon are over and frozen' },
    );
    for (const checkpoint of checkpoints) {
      await call(
        'POST',
        `/contests/${marathon.id}/checkpoints/${checkpoint.number}/publish`,
        managerToken,
      );
    }
    published = checkpoints.sort((a, b) => b.number - a.number);
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  async function fullScreenshot(page, name) {
    await fs.mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  }

  for (const { locale, lang, month, teams, tabs } of [
    { locale: 'ru-RU', lang: 'ru', month: 'Месяц', teams: 'Команды', tabs: ['Итоги', 'Табло'] },
    { locale: 'en-US', lang: 'en', month: 'Month', teams: 'Teams', tabs: ['Results', 'Board'] },
  ]) {
    const [resultsTab, boardTab] = tabs;
    it(`shows a seller the published months and the team standings on the phone (${lang})`, async () => {
      const context = await chromium.browser.newContext({ viewport: viewports.phone, locale });
      const page = await context.newPage();
      const sellerToken = await login('seller@demo.local');
      await page.goto(`${app.url}/login?next=/m/${marathon.id}`);
      await page.locator('input[type="email"]').fill('seller@demo.local');
      await page.locator('input[type="password"]').fill('demo');
      await page.locator('button[type="submit"]').click();

      // Every published month, newest first, each with the seller's own place that month: the
      // phone's Results tab.
      await page.getByRole('tab', { name: resultsTab }).click();
      const months = page.getByTestId('mobile-month');
      await months.nth(published.length - 1).waitFor();
      assert.deepEqual(
        await months.evaluateAll((nodes) => nodes.map((node) => Number(node.dataset.number))),
        published.map((checkpoint) => checkpoint.number),
      );
      const asSeller = await call('GET', `/contests/${marathon.id}/checkpoints`, sellerToken);
      const latest = asSeller.find((checkpoint) => checkpoint.number === published[0].number);
      const mine = latest.standings.standings.find((row) => row.participantId === 'demo-01');
      const first = months.first();
      assert.match(await first.locator('summary').textContent(), new RegExp(month));
      assert.match(
        await first.getByTestId('mobile-month-you').textContent(),
        new RegExp(`\\b${mine.rank}\\b`),
      );
      const topNames = await first.getByTestId('checkpoint-top-name').allTextContents();
      assert.deepEqual(
        topNames,
        latest.standings.standings.slice(0, 3).map((row) => row.name),
      );

      await fullScreenshot(page, `results-teams-phone-results-${lang}`);

      // The team standings of the contest, the seller's team marked.
      const standings = await call('GET', `/contests/${marathon.id}/standings`, sellerToken);
      assert.ok(standings.teams.length >= 2, 'the demo has teams');
      await page.getByRole('tab', { name: teams }).click();
      const section = page.getByTestId('mobile-teams');
      await section.waitFor();
      assert.match(await section.locator('h2').textContent(), new RegExp(teams));
      const rows = section.getByTestId('team-row');
      assert.equal(await rows.count(), standings.teams.length);
      const myTeam = standings.standings.find((row) => row.participantId === 'demo-01').team;
      assert.match(await section.locator('tr.mine').textContent(), new RegExp(myTeam));

      await fullScreenshot(page, `results-teams-phone-teams-${lang}`);

      // A locked prize says what it needs beyond fund money: margin above plan, and sales.
      await page.getByRole('tab', { name: boardTab }).click();
      if (standings.prizes.some((prize) => !prize.unlocked && prize.missingFundMinor !== null)) {
        await page.getByTestId('fund-need').nth(2).waitFor();
      }

      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `the phone page is ${overflow}px too wide`);
      await fullScreenshot(page, `results-teams-phone-${lang}`);
      await context.close();
    });
  }

  it('shows the manager the Teams panel and each published month’s top with points', async () => {
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${app.url}/login?next=/contests/${marathon.id}`);
    await page.locator('input[type="email"]').fill('manager@demo.local');
    await page.locator('input[type="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();

    const panel = page.getByTestId('manager-teams');
    await panel.waitFor();
    const standings = await call('GET', `/contests/${marathon.id}/standings`, managerToken);
    assert.equal(await panel.getByTestId('team-row').count(), standings.teams.length);
    const shownTeams = await panel.locator('td.name').allTextContents();
    // Live: the panel follows the table; the order may move on between the two reads, the teams
    // do not.
    assert.deepEqual([...shownTeams].sort(), standings.teams.map((team) => team.team).sort());

    const tops = page.getByTestId('checkpoint-top');
    await tops.nth(published.length - 1).waitFor();
    const latest = published[0];
    const months = page.locator(`[data-testid=checkpoint][data-number="${latest.number}"]`);
    const names = await months.getByTestId('checkpoint-top-name').allTextContents();
    assert.deepEqual(
      names,
      latest.standings.standings.slice(0, 3).map((row) => row.name),
    );
    assert.match(await months.getByTestId('checkpoint-top').textContent(), /\d+\.\d\d/);

    // The fund meter with what the next prize needs, and the plan's margin rate.
    await page.getByTestId('fund-meter').waitFor();
    assert.match(await page.getByTestId('plan-rate').textContent(), /%/);
    await fullScreenshot(page, 'results-teams-manager-en');
    await context.close();
  });

  it('shows the monthly results, the teams and the rules as TV slides, in the display’s language', async () => {
    const adminToken = await login('admin@demo.local');
    const display = await call('POST', '/displays', adminToken, {
      name: 'Results TV',
      contestIds: [marathon.id],
      language: 'ru',
      slides: ['results', 'teams', 'rules'],
      slideSeconds: 5,
    });
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(display.url.replace(/^https?:\/\/[^/]+/, app.url));
    const latest = published[0];
    for (const [kind, testId, text] of [
      ['results', 'tv-results-slide', latest.standings.standings[0].name],
      ['teams', 'tv-teams-slide', 'Команды'],
      ['rules', 'tv-rules-slide', 'Правила'],
    ]) {
      await page.locator(`[data-testid="tv-slide"][data-slide="${kind}"]`).waitFor({
        timeout: 20_000,
      });
      const slide = page.getByTestId(testId);
      await slide.filter({ hasText: text }).waitFor();
      await page.waitForTimeout(900); // the slide finishes fading in
      const fits = await page.evaluate((id) => {
        const box = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
        return box.bottom <= window.innerHeight + 0.5 && box.right <= window.innerWidth + 0.5;
      }, testId);
      await page.screenshot({ path: path.join(screenshotDir, `tv-slide-${kind}-1080-ru.png`) });
      assert.ok(fits, `the ${kind} slide fits the screen`);
    }
    await context.close();
  });
});
