import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

describe('home page', () => {
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

  for (const [size, viewport] of Object.entries(viewports)) {
    it(`shows the live system status at ${size} size (${viewport.width}×${viewport.height})`, async () => {
      const context = await chromium.browser.newContext({ viewport, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByRole('heading', { name: 'Podium' }).waitFor();
      // Both figures come from the running server: /api/health and the /live socket.
      const db = page.getByTestId('home.db').locator('dd');
      await db.filter({ hasText: 'up' }).waitFor();
      assert.equal(await db.getAttribute('class').then((value) => value?.includes('up')), true);
      await page.getByTestId('home.live').locator('dd', { hasText: 'connected' }).waitFor();
      await page.getByText(/^v\d+\.\d+\.\d+$/).waitFor();
      await screenshot(page, `home-${size}-en`);
      await context.close();
    });
  }

  it('speaks Russian when the browser asks for it, and switches to English', async () => {
    const context = await chromium.browser.newContext({
      viewport: viewports.phone,
      locale: 'ru-RU',
    });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByText('Состояние системы').waitFor();
    await page.getByTestId('home.db').locator('dd', { hasText: 'работает' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    await screenshot(page, 'home-phone-ru');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('System status').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await context.close();
  });
});
