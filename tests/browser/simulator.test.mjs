/* global document, window -- in page.evaluate callbacks, which run in the browser */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

/**
 * The director's simulator (/simulate) as the demo admin: the demo company's sellers from the
 * database, a run in Web Workers of the built app, the verdict and remedies, cancel, save.
 */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('simulator (/simulate)', () => {
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

  async function signIn(
    page,
    { email = 'E-mail', password = 'Password', submit = 'Sign in' } = {},
  ) {
    await page.goto(`${app.url}/simulate`);
    await page.waitForURL(/\/login\?next=\/simulate$/);
    await page.getByLabel(email).fill('admin@demo.local');
    await page.getByLabel(password).fill('demo');
    await page.getByRole('button', { name: submit, exact: true }).click();
    await page.waitForURL(/\/simulate$/);
  }

  async function loadDemoAndRun(page, { load, run, trials }) {
    await page.getByRole('button', { name: load }).click();
    await page.getByTestId('sim-participants').locator('tbody tr').nth(39).waitFor();
    await page.getByTestId('sim-trials').fill(String(trials));
    await page.getByRole('button', { name: run }).click();
    await page
      .locator('[data-testid="sim-progress"][aria-valuenow="100"]')
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('sim-verdict').waitFor();
  }

  /** Scrolls the run's progress bar to just under the sticky header. */
  async function scrollTo(page, selector, block = 'start') {
    await page.evaluate(
      ([target, where]) => document.querySelector(target).scrollIntoView({ block: where }),
      [selector, block],
    );
  }

  it('runs the demo participants, shows the verdict and remedies, cancels, saves a draft', async () => {
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page);
    await page.getByTestId('sim-name').fill('Browser test sprint');
    await loadDemoAndRun(page, { load: 'Load participants', run: 'Run simulation', trials: 2000 });
    assert.match(await page.getByTestId('sim-p-all').innerText(), /%/);
    // Absolute turnover points leave the six newcomers behind: unbalanced, with remedies.
    assert.equal(await page.getByTestId('sim-verdict').getAttribute('data-verdict'), 'unbalanced');
    await page.locator('[data-key="fairness.newcomers"]').waitFor();
    assert.ok((await page.getByTestId('sim-remedy').count()) >= 1);
    await scrollTo(page, 'section.run');
    await screenshot(page, 'simulator-tv-en');

    // Save: a draft contest with this run's scenario, and the first prize's picture.
    await page.locator('[data-path="prizes[0].image"] input[type="file"]').setInputFiles({
      name: 'trip.png',
      mimeType: 'image/png',
      buffer: PIXEL_PNG,
    });
    const pictureField = page.locator('[data-path="prizes[0].image"]').locator('..');
    await pictureField.getByText('uploaded on save').waitFor();
    // Named once, by the picker.
    assert.equal(await pictureField.getByText('trip.png').count(), 1);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText(/Draft saved — with the scenario of this run/).waitFor();
    await page.waitForURL(/\/simulate\?contest=/);
    const token = await page.evaluate(
      () => JSON.parse(localStorage.getItem('podium.session')).token,
    );
    const contests = await fetch(`${app.url}/api/contests`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    const saved = contests.find((contest) => contest.name === 'Browser test sprint');
    assert.equal(saved?.state, 'draft');
    assert.equal(saved.participants, 40);
    assert.equal(new URL(page.url()).searchParams.get('contest'), saved.id);
    const picture = await fetch(`${app.url}/api/contests/${saved.id}/prizes/1/image`);
    assert.equal(picture.status, 200);
    assert.equal(picture.headers.get('content-type'), 'image/png');

    // The saved draft opens again from its link.
    const reopened = await context.newPage();
    await reopened.goto(`${app.url}/simulate?contest=${saved.id}`);
    await reopened.getByTestId('sim-participants').locator('tbody tr').nth(39).waitFor();
    assert.equal(await reopened.getByTestId('sim-name').inputValue(), 'Browser test sprint');
    await reopened.close();

    // Launch after a confirmation. The approved run found the rules unbalanced: the launch gate
    // stops it and asks why to launch anyway. The draft starts next month, so it is scheduled.
    await page.getByRole('button', { name: 'Launch', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, launch' }).click();
    const gate = page.getByTestId('launch-gate');
    await gate.waitFor();
    assert.equal(await gate.getAttribute('data-gate'), 'unbalanced');
    await screenshot(page, 'simulator-tv-en-launch-gate');
    assert.equal(await page.getByTestId('override').isDisabled(), true);
    await page.getByTestId('override-reason').fill('Browser test: the newcomers get a league next');
    await page.getByTestId('override').click();
    await page.getByRole('link', { name: 'Open the contest' }).waitFor();
    assert.equal(
      await page.getByRole('link', { name: 'Open the contest' }).getAttribute('href'),
      `/contests/${saved.id}`,
    );
    const launched = await fetch(`${app.url}/api/contests/${saved.id}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    assert.equal(launched.state, 'scheduled');

    // A remedy rewrites the rules: the newcomer league splits the prizes by tenure.
    await page
      .locator('[data-remedy="newcomerLeague"]')
      .getByRole('button', { name: 'Apply to the rules' })
      .click();
    await page.getByText('Remedy applied: run again to check it.').waitFor();
    await page.getByText('The rules changed since this run').waitFor();
    assert.equal(await page.getByLabel('Separate prizes by').inputValue(), 'tenure');
    assert.equal(await page.locator('[data-path$=".league"] select').count(), 4);
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.getByText('The rules changed since this run').waitFor({ state: 'detached' });
    await page.locator('[data-testid="sim-progress"][aria-valuenow="100"]').waitFor();
    await scrollTo(page, 'section.run');
    await screenshot(page, 'simulator-tv-en-newcomer-league');

    // Cancel a long run part-way.
    await page.getByTestId('sim-trials').fill('1000000');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid="sim-progress"]');
      return Number(bar?.getAttribute('aria-valuenow')) >= 1;
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled.').waitFor();
    const after = Number(await page.getByTestId('sim-progress').getAttribute('aria-valuenow'));
    assert.ok(after < 100, `cancelled at ${after} %`);
    await page.getByRole('button', { name: 'Run simulation' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('speaks Russian and fits at 1366×768', async () => {
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'ru-RU' });
    const page = await context.newPage();
    await signIn(page, { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' });
    // The shared schema's message lands next to its field, in Russian and in percent.
    const fundShare = page.locator('[data-path="funding.fundShare"] input');
    await fundShare.fill('150');
    // Translated from the issue's code and bound, not from the English sentence.
    const shareIssue = page.locator('[data-issue="funding.fundShare"]');
    await shareIssue.waitFor();
    assert.equal(await shareIssue.textContent(), 'не больше 100');
    assert.equal(
      await page.getByRole('button', { name: 'Запустить симуляцию' }).isDisabled(),
      true,
    );
    await fundShare.fill('30');
    await page.locator('[data-issue="funding.fundShare"]').waitFor({ state: 'detached' });
    // A rule across fields has its own code and sentence too.
    const guarantee = page.locator('[data-path="funding.guaranteedMinor"] input');
    const cap = page.locator('[data-path="funding.capMinor"] input');
    await guarantee.fill('1000');
    await cap.fill('500');
    const capIssue = page.locator('[data-issue="funding.capMinor"]');
    await capIssue.waitFor();
    assert.equal(await capIssue.textContent(), 'должен быть не меньше гарантии');
    await guarantee.fill('0');
    await cap.fill('');
    await capIssue.waitFor({ state: 'detached' });
    await loadDemoAndRun(page, {
      load: 'Загрузить участников',
      run: 'Запустить симуляцию',
      trials: 2000,
    });
    await page.getByText('Несбалансирован').first().waitFor();
    await page.getByText(/У новичков .* шансов на призы/).waitFor();
    // Money labels carry the symbol the rest of the UI shows, not the ISO code.
    assert.equal(
      await page.locator('[data-path="prizes[0].costMinor"] .label').innerText(),
      'Стоимость, ₽',
    );
    assert.equal(
      await page.locator('th', { hasText: 'План: оборот' }).first().innerText(),
      'План: оборот, ₽',
    );
    await scrollTo(page, 'section.run');
    await screenshot(page, 'simulator-tv-ru');
    await scrollTo(page, '[data-testid="sim-remedy"]', 'center');
    await screenshot(page, 'simulator-tv-ru-remedies');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'simulator-1366-ru');
    await scrollTo(page, '[data-testid="sim-remedy"]', 'center');
    await screenshot(page, 'simulator-1366-ru-remedies');
    await context.close();
  });

  it('tells the director which criteria hidden amounts do not hide', async () => {
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page);
    const warning = page.getByTestId('hidden-amounts-warning');
    const items = () => page.getByTestId('hidden-amounts-criterion').allInnerTexts();
    // The default rules score turnover alone: its total points give the amount back.
    await warning.waitFor();
    assert.deepEqual(await items(), [
      'Criterion 1 (Turnover) — it is the only criterion: its amount = points ÷ weight × unit (up to the cap). A second criterion without a cap hides it.',
    ]);
    await warning.scrollIntoViewIfNeeded();
    await screenshot(page, 'simulator-tv-en-hidden-amounts');
    await page.setViewportSize(viewports.phone);
    await warning.scrollIntoViewIfNeeded();
    await screenshot(page, 'simulator-phone-en-hidden-amounts');
    const box = await warning.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= viewports.phone.width, 'fits the phone');

    // A second, uncapped criterion hides both; deals stay countable from the celebrations.
    await page.getByRole('button', { name: 'Add a criterion' }).click();
    await warning.waitFor({ state: 'detached' });
    await page.locator('[data-path="criteria[1].metric"] select').selectOption('deals');
    await warning.waitFor();
    assert.deepEqual(await items(), [
      'Criterion 2 (Deals) — every deal is celebrated by name on the TV and phones, so anyone can count them',
    ]);
    await context.close();

    const ru = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'ru-RU' });
    const russian = await ru.newPage();
    await signIn(russian, { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' });
    await russian.getByText('Что не скрывают скрытые суммы').waitFor();
    assert.match(
      (await russian.getByTestId('hidden-amounts-criterion').allInnerTexts()).join('\n'),
      /^Критерий 1 \(.+\) — это единственный критерий: сумма = баллы ÷ вес × единица/,
    );
    await russian.getByTestId('hidden-amounts-warning').scrollIntoViewIfNeeded();
    await screenshot(russian, 'simulator-tv-ru-hidden-amounts');
    await ru.close();
  });

  it('imports participants from CSV and names every bad row', async () => {
    const context = await chromium.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'en-US',
    });
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('tab', { name: 'From CSV/XLSX files' }).click();
    const participants = [
      'id;name;team;role;hiredOn;newcomer;planTurnover;planMargin;planDeals;planNewClients',
      'a1;Anna;North;hunter;2021-02-01;no;;;;',
      // Russian date and decimals, "180.000,50" included: read as the server's import reads them.
      'a2;"Boris; the new one";North;farmer;15.01.2026;yes;"900 000,50";"180.000,50";;3',
      'a3;Clara;South;seller;2020-13-01;;abc;;;',
      'a1;Duplicate;South;hunter;;;;;;',
    ].join('\r\n');
    const history = [
      'participantId,month,turnover,margin,deals,newClients,leads',
      'a1,2025-10,480000,96000,12,2,30',
      'a1,2025-11,510000,101000,13,3,33',
      'a2,2026-01,300000,60000,6,1,20',
      'zz,2026-01,300000,60000,6,1,20',
      'a1,2025-13,1,1,,,',
    ].join('\n');
    await page.getByLabel('Participants (.csv, .xlsx)').setInputFiles({
      name: 'participants.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(participants),
    });
    await page.getByLabel('History (.csv, .xlsx; optional)').setInputFiles({
      name: 'history.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(history),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    const rows = page.getByTestId('sim-participants').locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(1).innerText(), /Boris; the new one/);
    // Anna's plan: her monthly mean (495,000) × the contest's one month.
    assert.equal(await page.getByLabel('Plan: turnover: Anna').inputValue(), '495000');
    assert.equal(
      await page.getByLabel('Plan: turnover: Boris; the new one').inputValue(),
      '900000.5',
    );
    assert.equal(
      await page.getByLabel('Plan: margin: Boris; the new one').inputValue(),
      '180000.5',
    );
    const problems = page.getByTestId('sim-csv-problems').locator('tbody tr');
    const texts = await problems.allInnerTexts();
    const expected = [
      /history\.csv\s+5\s+participantId\s+no such id/,
      /history\.csv\s+6\s+month\s+is not a month/,
      /participants\.csv\s+4\s+role\s+must be hunter or farmer/,
      /participants\.csv\s+4\s+hiredOn\s+is not a date/,
      /participants\.csv\s+4\s+planTurnover\s+is not a non-negative number/,
      /participants\.csv\s+5\s+id\s+repeats an earlier row/,
    ];
    for (const pattern of expected) {
      assert.ok(
        texts.some((text) => pattern.test(text)),
        `${pattern} in ${texts.join(' | ')}`,
      );
    }
    assert.equal(texts.length, expected.length);
    await screenshot(page, 'simulator-1366-en-csv');
    await context.close();
  });
});
