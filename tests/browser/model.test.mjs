import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const example = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../libs/contest-model/examples/spring-sprint.json',
);

/** The contest model bundled for the browser evaluates a file exactly as the CLI does. */
describe('contest file check (/model)', () => {
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

  it('evaluates the worked example of DESIGN §3.3 in the browser', async () => {
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${app.url}/model`);
    await page.getByLabel('Contest file (JSON)').fill(await fs.readFile(example, 'utf8'));
    // 18,000,000 minor units = 180,000.00 ₽.
    assert.match(await page.getByTestId('fund').innerText(), /180,000/);
    await page.getByText('Phone').filter({ hasText: 'unlocked' }).waitFor();
    await page.getByText('Headphones').filter({ hasText: 'not yet funded' }).waitFor();
    await screenshot(page, 'model-tv-en');
    await context.close();
  });

  it('names the path of a bad field, in Russian for a Russian browser', async () => {
    const context = await chromium.browser.newContext({
      viewport: viewports.phone,
      locale: 'ru-RU',
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/model`);
    const file = JSON.parse(await fs.readFile(example, 'utf8'));
    file.funding.fundShare = 1.5;
    await page.getByLabel('Файл конкурса (JSON)').fill(JSON.stringify(file));
    await page.getByText('В файле есть ошибки').waitFor();
    await page.getByText('funding.fundShare', { exact: true }).waitFor();
    await screenshot(page, 'model-phone-ru-invalid');
    await context.close();
  });
});
