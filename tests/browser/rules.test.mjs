/* global document, window -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

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

/** Money as the screens write it ("50 000 ₽", "₽50,000"): any space the locale uses matches. */
const money = {
  ru: (thousands) => new RegExp(`${thousands}\\s000\\s₽`),
  en: (thousands) => new RegExp(`₽${thousands},000`),
};

/**
 * The rules in plain language, on the contest page (staff) and on the phone's Rules tab (the
 * demo seller's personal link), in Russian and English: the demo sprint has a cap, a gate and a
 * guaranteed fund; the marathon a newcomer league, a capped fund and team standings.
 */
describe('rules in plain language', () => {
  let app;
  let chromium;
  let sprint;
  let marathon;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    const { token } = await call(app, null, 'POST', '/auth/login', {
      email: 'admin@demo.local',
      password: 'demo',
    });
    const contests = await call(app, token, 'GET', '/contests');
    sprint = contests.find((contest) => contest.name === 'Спринт месяца');
    marathon = contests.find((contest) => contest.name === 'Полугодовой марафон');
    assert.ok(sprint && marathon, 'the demo has its two contests');
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  const expected = {
    en: {
      title: 'Rules',
      lines: [
        'Оборот, % плана',
        '1 point for every 1 % of your own plan',
        'Cap: 200 % of your plan; more does not count (200 points at most)',
        '10 points for every new client',
        'Cap: 10 new clients; more does not count (100 points at most)',
        'Turnover: 90 % of your plan or more',
        'The fund is 30 % of the team’s margin above plan.',
        'Prizes unlock one by one from first place down, as the fund covers their cost.',
        'Путешествие на двоих',
        'Фонд — 30\u00a0% сверхплановой маржи команды; гарантировано 50\u00a0000\u00a0₽.',
      ],
      guarantee: (text) =>
        assert.match(text, new RegExp(`Guaranteed: at least ${money.en(50).source}`)),
      cost: money.en(150),
    },
    ru: {
      title: 'Правила',
      lines: [
        'Оборот, % плана',
        '1 балл за каждый 1 % личного плана',
        'Предел: 200 % плана; сверх него не засчитывается (максимум 200 баллов)',
        '10 баллов за каждого нового клиента',
        'Предел: 10 новых клиентов; сверх него не засчитывается (максимум 100 баллов)',
        'Оборот: 90 % плана или больше',
        'Фонд — 30 % сверхплановой маржи команды.',
        'Призы открываются по порядку мест, начиная с первого, по мере того как фонд покрывает их стоимость.',
        'Путешествие на двоих',
      ],
      guarantee: (text) =>
        assert.match(text, new RegExp(`Гарантировано не меньше ${money.ru(50).source}`)),
      cost: money.ru(150),
    },
  };

  for (const [lang, locale] of [
    ['en', 'en-US'],
    ['ru', 'ru-RU'],
  ]) {
    it(`shows the sprint's rules on the contest page (${lang})`, async () => {
      const context = await chromium.browser.newContext({ viewport: viewports.tv, locale });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${app.url}/contests/${sprint.id}`);
      await page.waitForURL((url) => url.pathname === '/login');
      await page.locator('input[type=email]').fill('admin@demo.local');
      await page.locator('input[type=password]').fill('demo');
      await page.locator('button[type=submit]').click();
      const panel = page.getByTestId('rules-panel');
      await panel.getByTestId('rules-criterion').nth(1).waitFor();
      await panel.getByRole('heading', { name: expected[lang].title, exact: true }).waitFor();
      const text = await panel.innerText();
      for (const line of expected[lang].lines) assert.ok(text.includes(line), `${line} in ${text}`);
      expected[lang].guarantee(text);
      assert.match(text, expected[lang].cost);
      assert.equal(await panel.getByTestId('rules-prize').count(), 3);
      // The demo's prizes have pictures: they load (no placeholder). They are lazy: a picture
      // loads once it nears the viewport, and in Russian the panel ends further down the page.
      const pictures = panel.getByTestId('rules-prize').locator('img');
      assert.equal(await pictures.count(), 3);
      await pictures.last().scrollIntoViewIfNeeded();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('[data-testid="rules-prize"] img')].every(
          (img) => img.complete && img.naturalWidth > 0,
        ),
      );
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, `rules-manager-tv-${lang}`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  for (const [lang, locale] of [
    ['en', 'en-US'],
    ['ru', 'ru-RU'],
  ]) {
    it(`shows the marathon's rules on the phone's Rules tab, kept over a reload (${lang})`, async () => {
      const context = await chromium.browser.newContext({ viewport: viewports.phone, locale });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${app.url}/m/p/pdp_demo?contest=${marathon.id}`);
      const tabs = page.getByRole('tablist');
      const board = tabs.getByRole('tab', { name: lang === 'en' ? 'Board' : 'Табло' });
      const rules = tabs.getByRole('tab', { name: lang === 'en' ? 'Rules' : 'Правила' });
      await board.waitFor();
      assert.equal(await board.getAttribute('aria-selected'), 'true');
      await page.getByTestId('mobile-rank').waitFor();

      // The keyboard moves between tabs (Rules is the last: End), and the address keeps the choice.
      await board.focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await rules.getAttribute('aria-selected'), 'false');
      await page.keyboard.press('End');
      assert.equal(await rules.getAttribute('aria-selected'), 'true');
      await page.waitForURL((url) => url.searchParams.get('tab') === 'rules');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-rules');
      await page.reload();
      const view = page.getByRole('tabpanel').getByTestId('rules-view');
      await view.getByTestId('rules-criterion').nth(1).waitFor();
      assert.equal(await rules.getAttribute('aria-selected'), 'true');
      assert.equal(await page.getByTestId('mobile-rank').count(), 0);

      const text = await view.innerText();
      const lines =
        lang === 'en'
          ? [
              'Маржа, % плана',
              '1 point for every 1 % of your own plan',
              '5 points for every new client',
              'Everyone in the ranking can win a prize.',
              'Newcomers (less than 6 months in the company when the contest starts) and veterans compete for separate prizes.',
              'Veterans',
              'Newcomers',
              'Подарок новичку',
              'The fund is 25 % of the team’s margin above plan.',
              'Teams are ranked by the sum of their members’ points (4 teams).',
            ]
          : [
              '1 балл за каждый 1 % личного плана',
              '5 баллов за каждого нового клиента',
              'Приз может получить любой участник рейтинга.',
              'Новички (меньше 6 мес. в компании на старте конкурса) и опытные соревнуются за отдельные призы.',
              'Опытные',
              'Новички',
              'Фонд — 25 % сверхплановой маржи команды.',
              'Команды соревнуются по сумме баллов участников (команд: 4).',
            ];
      for (const line of lines) assert.ok(text.includes(line), `${line} in ${text}`);
      assert.match(text, lang === 'en' ? /At most ₽1,000,000\./ : /Не больше 1\s000\s000\s₽\./);
      assert.equal(await view.getByTestId('rules-prize').count(), 3);
      // Nothing wider than the phone.
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        'no horizontal scroll at 390 px',
      );
      await screenshot(page, `rules-mobile-${lang}`);

      // Back to the board: the default tab leaves the address clean.
      await board.click();
      await page.getByTestId('mobile-rank').waitFor();
      await page.waitForURL((url) => !url.searchParams.has('tab'));
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
