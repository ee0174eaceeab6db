import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(rows) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('data');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Files, templates and downloads: the admin import, the plans editor, exports, the simulator. */
describe('import and export', () => {
  let app;
  let chromium;
  let token;

  async function call(method, path, body) {
    const response = await fetch(`${app.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
  }

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    token = await app.signIn();
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  async function open(viewport, locale, next) {
    const context = await chromium.browser.newContext({ viewport, locale, acceptDownloads: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}${next}`);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.locator('input[type=email]').fill(admin.email);
    await page.locator('input[type=password]').fill(admin.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === next.split('?')[0]);
    return { context, page, errors };
  }

  it('checks a CSV on the server (every bad row named, nothing written), then imports a clean XLSX', async () => {
    const { context, page, errors } = await open(viewports.tv, 'ru-RU', '/admin/participants');
    await page.getByTestId('participants').locator('tbody tr').nth(39).waitFor();
    await page.getByRole('button', { name: 'Импорт CSV/XLSX' }).click();
    const importer = page.getByTestId('import');
    const bad = [
      'id;name;team;role;hiredOn',
      'csv-1;Ольга Тестова;Север;hunter;2025-03-01',
      'csv-2;;Юг;boss;2025-02-30',
      'csv-1;Дубль;;;',
      '"csv-3";"Иван ""Ваня"" Тестов";Новая команда;farmer;',
    ].join('\n');
    await importer.getByTestId('import-file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad),
    });
    await importer.getByRole('button', { name: 'Проверить' }).click();
    const issues = importer.getByTestId('import-issues').locator('tbody tr');
    await issues.first().waitFor();
    const rows = await issues.evaluateAll((trs) =>
      trs.map((tr) => [...tr.cells].map((cell) => cell.textContent.trim()).join(' ')),
    );
    assert.deepEqual(rows, [
      '3 hiredOn нужна дата ГГГГ-ММ-ДД',
      '3 name обязательно',
      '3 role должно быть hunter или farmer',
      '4 id повторяет строку выше',
    ]);
    assert.match(
      await importer.getByTestId('import-summary').innerText(),
      /Строк: 4 · Без ошибок: 2/,
    );
    assert.equal(await importer.getByTestId('import-confirm').isDisabled(), true);
    const people = await call('GET', '/participants?q=csv-');
    assert.equal(people.total, 0, 'a dry run writes nothing');
    await screenshot(page, 'admin-import-tv-ru');

    const good = await workbook([
      ['id', 'name', 'team', 'role', 'hiredOn', 'planMonth', 'planTurnover', 'planMargin'],
      [
        'csv-1',
        'Ольга Тестова',
        'Север',
        'hunter',
        new Date(Date.UTC(2025, 2, 1)),
        '2026-03',
        180000.5,
        36000,
      ],
      ['csv-3', 'Иван "Ваня" Тестов', 'Новая команда', 'farmer', null, null, null, null],
    ]);
    await importer.getByTestId('import-file').setInputFiles({
      name: 'people.xlsx',
      mimeType: XLSX,
      buffer: good,
    });
    await importer.getByRole('button', { name: 'Проверить' }).click();
    await importer.getByTestId('import-clean').waitFor();
    await importer.getByRole('button', { name: 'Импортировать (2)' }).click();
    await importer.getByTestId('import-done').waitFor();
    assert.match(
      await importer.getByTestId('import-done').innerText(),
      /Импортировано: 2 \(Новых: 2/,
    );
    await page.getByTestId('participant-search').fill('Ваня');
    await page.getByTestId('participants').getByText('Иван "Ваня" Тестов').waitFor();
    const plans = await call('GET', '/participants/csv-1/plans');
    assert.deepEqual(plans, [{ month: '2026-03', turnoverMinor: 18000050, marginMinor: 3600000 }]);

    // Templates come from the server with the chosen kind's columns.
    await importer.getByTestId('import-kind').selectOption('deals');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      importer.getByRole('button', { name: 'deals.xlsx' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'deals.xlsx');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('fits the import panel and its issues on a phone, in English and Russian', async () => {
    for (const [locale, open_, check, name] of [
      ['en-US', 'Import CSV/XLSX', 'Check', 'admin-import-phone-en'],
      ['ru-RU', 'Импорт CSV/XLSX', 'Проверить', 'admin-import-phone-ru'],
    ]) {
      const { context, page, errors } = await open(viewports.phone, locale, '/admin/participants');
      await page.getByRole('button', { name: open_ }).click();
      const importer = page.getByTestId('import');
      await importer.getByTestId('import-kind').selectOption('history');
      await importer.getByTestId('import-file').setInputFiles({
        name: 'history.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'participantId,month,turnover,margin\nghost,2026-01,1,1\ndemo-01,2026-13,1,1\n',
        ),
      });
      await importer.getByRole('button', { name: check }).click();
      await importer.getByTestId('import-issues').locator('tbody tr').nth(1).waitFor();
      const width = await page.evaluate(() => globalThis.document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
      await importer.getByTestId('import-issues').scrollIntoViewIfNeeded();
      await screenshot(page, name);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('edits a participant’s monthly plans and history, with the server’s field issues', async () => {
    for (const [viewport, locale, name] of [
      [viewports.phone, 'en-US', 'admin-plans-phone-en'],
      [viewports.tv, 'ru-RU', 'admin-plans-tv-ru'],
    ]) {
      const { context, page, errors } = await open(viewport, locale, '/admin/plans');
      const english = locale === 'en-US';
      const editor = page.getByTestId('admin-plans');
      await editor.getByTestId('plans-participant').locator('option[value="demo-02"]').waitFor({
        state: 'attached',
      });
      await editor.getByTestId('plans-participant').selectOption('demo-02');
      const plans = editor.getByTestId('plans-plans');
      const history = editor.getByTestId('plans-history');
      await history.locator('tbody tr').first().waitFor();
      if (english) {
        await plans.getByRole('button', { name: 'Add month' }).click();
        await plans.getByRole('button', { name: 'Add month' }).click();
        await plans.getByLabel('Turnover 1').fill('abc');
        await plans.getByTestId('plans-save-plans').click();
        await plans.getByText('not a number').waitFor();
        await plans.getByLabel('Turnover 1').fill('180 000,50');
        await plans.getByLabel('Margin 1').fill('36000');
        // Both new lines have distinct months; the second gets the first's: the server says which.
        await plans.getByLabel('Month 2').fill(await plans.getByLabel('Month 1').inputValue());
        await plans.getByLabel('Turnover 2').fill('1');
        await plans.getByTestId('plans-save-plans').click();
        await plans.getByText(/duplicate month/).waitFor();
        await plans.getByRole('button', { name: 'Remove' }).nth(1).click();
        await plans.getByTestId('plans-save-plans').click();
        await plans.getByRole('status').waitFor();
        const stored = await call('GET', '/participants/demo-02/plans');
        assert.equal(stored.length, 1);
        assert.equal(stored[0].turnoverMinor, 18000050);
      }
      await screenshot(page, name);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('downloads the standings as CSV and XLSX from the manager screen', async () => {
    const contests = await call('GET', '/contests');
    const contest = contests.find((each) => each.state === 'live');
    const { context, page, errors } = await open(
      { width: 1366, height: 768 },
      'en-US',
      `/contests/${contest.id}`,
    );
    const buttons = page.getByTestId('export-standings');
    await buttons.waitFor();
    for (const format of ['CSV', 'XLSX']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        buttons.getByRole('button', { name: format }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `standings-${contest.id}.${format.toLowerCase()}`);
      const file = await download.path();
      const bytes = await (await import('node:fs/promises')).readFile(file);
      if (format === 'CSV') {
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
        assert.match(bytes.toString('utf8'), /^\uFEFFrank,participant_id,name,team/);
      } else assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    }
    await screenshot(page, 'manager-export-1366-en');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('loads simulator participants from an XLSX and names its bad rows', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en-US', '/simulate');
    await page.getByRole('tab', { name: 'From CSV/XLSX files' }).click();
    const participants = await workbook([
      ['id', 'name', 'team', 'role', 'hiredOn', 'newcomer', 'planTurnover', 'planMargin'],
      ['x1', 'Xenia', 'North', 'hunter', new Date(Date.UTC(2021, 1, 1)), 'no', 500000, 100000],
      ['x2', 'Yuri', 'North', 'boss', null, null, null, null],
      ['x3', 'Zoe', 'South', 'farmer', null, 'yes', '900 000,50', 180000],
    ]);
    await page.getByLabel('Participants (.csv, .xlsx)').setInputFiles({
      name: 'sellers.xlsx',
      mimeType: XLSX,
      buffer: participants,
    });
    await page.getByRole('button', { name: 'Import' }).click();
    const rows = page.getByTestId('sim-participants').locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(await page.getByLabel('Plan: turnover: Xenia').inputValue(), '500000');
    assert.equal(await page.getByLabel('Plan: turnover: Zoe').inputValue(), '900000.5');
    const problems = await page.getByTestId('sim-csv-problems').locator('tbody tr').allInnerTexts();
    assert.equal(problems.length, 1);
    assert.match(problems[0], /sellers\.xlsx\s+3\s+role\s+must be hunter or farmer/);
    await screenshot(page, 'simulator-xlsx-tv-en');
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'simulator-participants.xlsx' }).click(),
    ]);
    assert.equal(template.suggestedFilename(), 'simulator-participants.xlsx');

    // From the database: a stored plan for the period's month wins over the history's mean.
    const start = await page.getByLabel('Start').inputValue();
    const month = start.slice(0, 7);
    const before = await call('GET', '/participants/demo-01/plans');
    await call('PUT', '/participants/demo-01/plans', [
      ...before.filter((plan) => plan.month !== month),
      { month, turnoverMinor: 12345678, marginMinor: 2345678 },
    ]);
    await page.getByRole('tab', { name: 'From the database' }).click();
    await page.getByRole('button', { name: 'Load participants' }).click();
    const anna = page.getByLabel('Plan: turnover: Анна Смирнова');
    await anna.waitFor();
    assert.equal(await anna.inputValue(), '123457');
    assert.equal(await page.getByLabel('Plan: margin: Анна Смирнова').inputValue(), '23457');
    // Without a stored plan: the monthly mean of the history, as before.
    assert.notEqual(await page.getByLabel('Plan: turnover: Борис Кузнецов').inputValue(), '');

    // The browser's own run downloads through the server's renderer, the same tables.
    const simRows = page.getByTestId('sim-participants').locator('tbody tr');
    await simRows.nth(39).waitFor();
    // The demo's 40 sellers and whoever the earlier tests of this file imported.
    const simulated = await simRows.count();
    await page.getByTestId('sim-trials').fill('300');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page
      .locator('[data-testid="sim-progress"][aria-valuenow="100"]')
      .waitFor({ timeout: 120_000 });
    const exporter = page.getByTestId('export-simulation');
    const [result] = await Promise.all([
      page.waitForEvent('download'),
      exporter.getByRole('button', { name: 'XLSX' }).click(),
    ]);
    assert.match(result.suggestedFilename(), /^simulation-.*\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await result.path());
    assert.equal(book.worksheets[0].rowCount, simulated + 1, 'a header and every participant');
    await exporter.scrollIntoViewIfNeeded();
    await screenshot(page, 'simulator-export-tv-en');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
