/* global document, window -- in page.evaluate callbacks, which run in the browser */
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

const TEXTS = {
  'en-US': {
    notSimulated: 'not simulated',
    unbalanced: 'unbalanced',
    launch: 'Launch',
    yes: 'Yes, launch',
    clone: 'Clone',
    overridden: 'launched past the launch gate',
  },
  'ru-RU': {
    notSimulated: 'не моделировался',
    unbalanced: 'несбалансирован',
    launch: 'Запустить',
    yes: 'Да, запустить',
    clone: 'Копировать',
    overridden: 'запущен в обход проверки',
  },
};

/**
 * The launch gate on a draft's page (/contests/:id) as the demo director: the approved
 * simulation's verdict, the gate's dialog when the launch is stopped, the override with its
 * reason, the clone and the monthly repeat; at TV and phone size, in English and Russian.
 */
describe('launch gate on the contest page', () => {
  let app;
  let chromium;
  let token;
  let sprint;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    token = (
      await call(app, null, 'POST', '/auth/login', {
        email: 'director@demo.local',
        password: 'demo',
      })
    ).token;
    const contests = await call(app, token, 'GET', '/contests');
    sprint = contests.find((contest) => contest.name === 'Спринт месяца');
    assert.ok(sprint, 'the demo has the monthly sprint');
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
    await page.goto(`${app.url}${path}`);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.locator('input[type=email]').fill('director@demo.local');
    await page.locator('input[type=password]').fill('demo');
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === path);
    return { context, page, errors };
  }

  /** The dialog fits the viewport: no text cut at its right edge, no page-wide scroll. */
  async function assertFits(page) {
    const overflow = await page.evaluate(() => {
      const dialog = document.querySelector('[data-testid="launch-gate"]');
      const box = dialog.getBoundingClientRect();
      const cut = [...dialog.querySelectorAll('*')].filter(
        (node) => node.scrollWidth > node.clientWidth + 1 && node.tagName !== 'TEXTAREA',
      );
      return { right: box.right, width: window.innerWidth, cut: cut.length };
    });
    assert.ok(overflow.right <= overflow.width, JSON.stringify(overflow));
    assert.equal(overflow.cut, 0);
  }

  for (const [size, locale, approved] of [
    ['tv', 'en-US', null],
    ['phone', 'ru-RU', 'unbalanced'],
    ['tv', 'ru-RU', 'unbalanced'],
    ['phone', 'en-US', null],
  ]) {
    const tag = `${size}-${locale.slice(0, 2)}`;
    it(`stops a ${approved ?? 'not simulated'} draft and launches it with a reason (${tag})`, async () => {
      const text = TEXTS[locale];
      const draft = await call(app, token, 'POST', `/contests/${sprint.id}/clone`, {
        name: `Gate ${tag}`,
      });
      if (approved)
        await call(app, token, 'PUT', `/contests/${draft.id}/scenario`, {
          scenario: { uplift: 0.1, correlation: 0.3, trials: 1000, seed: 1 },
          verdict: approved,
        });
      const { context, page, errors } = await open(
        viewports[size],
        locale,
        `/contests/${draft.id}`,
      );
      const setup = page.getByTestId('contest-setup');
      await setup.waitFor();
      await setup
        .getByTestId('approval')
        .getByText(approved ? text.unbalanced : text.notSimulated, { exact: true })
        .waitFor();
      // The sprint is this calendar month: it may repeat.
      await setup.getByTestId('repeat-monthly').waitFor();
      await screenshot(page, `launch-gate-page-${tag}`);

      await setup.getByRole('button', { name: text.launch, exact: true }).click();
      await setup.getByRole('button', { name: text.yes }).click();
      const gate = page.getByTestId('launch-gate');
      await gate.waitFor();
      assert.equal(await gate.getAttribute('data-gate'), approved ?? 'not_simulated');
      assert.equal(await page.getByTestId('override').isDisabled(), true);
      await assertFits(page);
      await screenshot(page, `launch-gate-dialog-${tag}`);

      await page.getByTestId('override-reason').fill(`пилот ${tag}`);
      await page.getByTestId('override').click();
      await setup.waitFor({ state: 'detached' });
      const launched = await call(app, token, 'GET', `/contests/${draft.id}`);
      assert.equal(launched.state, 'live');
      const audit = await call(app, token, 'GET', `/contests/${draft.id}/audit`);
      const row = audit.find((entry) => entry.action === 'launched');
      assert.deepEqual(row.details.override, {
        reason: `пилот ${tag}`,
        gate: approved ?? 'not_simulated',
      });
      // The contest page's audit trail says so in the reader's words: the gate passed and why.
      const entry = page.getByTestId('audit').locator('td', { hasText: `пилот ${tag}` });
      await entry.waitFor();
      const said = await entry.textContent();
      assert.ok(said.includes(text.overridden), said);
      assert.ok(said.includes(approved ? text.unbalanced : text.notSimulated), said);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it('turns the monthly repeat on, and clones into a new draft page', async () => {
    const draft = await call(app, token, 'POST', `/contests/${sprint.id}/clone`, {
      name: 'Repeat and clone',
    });
    const { context, page, errors } = await open(viewports.tv, 'en-US', `/contests/${draft.id}`);
    const toggle = page.getByTestId('repeat-monthly');
    await toggle.check();
    await page.waitForFunction(
      async ([url, id, bearer]) => {
        const response = await fetch(`${url}/api/contests/${id}`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        return (await response.json()).repeatMonthly === true;
      },
      [app.url, draft.id, token],
    );
    await page.getByTestId('clone').click();
    await page.waitForURL(
      (url) => url.pathname.startsWith('/contests/') && !url.pathname.endsWith(draft.id),
    );
    await page.getByTestId('contest-setup').waitFor();
    const copyId = new URL(page.url()).pathname.split('/').pop();
    const copy = await call(app, token, 'GET', `/contests/${copyId}`);
    assert.equal(copy.state, 'draft');
    assert.equal(copy.name, 'Repeat and clone');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
