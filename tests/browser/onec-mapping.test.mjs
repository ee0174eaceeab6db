/* global document -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { demoAdmin as admin, launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const ONEC = { username: 'podium', password: 'Пароль-1С 42' };
const USERS = [
  { Ref_Key: 'a1b2c3d4-0000-11ee-9a1f-00155d000001', Description: 'Анна Петрова' },
  { Ref_Key: 'a1b2c3d4-0000-11ee-9a1f-00155d000002', Description: 'Борис Иванов' },
];

/**
 * The users catalog of a 1C infobase as its standard OData interface answers
 * `GET …/odata/standard.odata/Catalog_Пользователи?$format=json` (1C:Enterprise 8.3 developer
 * guide, "Стандартный интерфейс OData": `{"odata.metadata": "…", "value": [...]}`, HTTP Basic, a
 * 401 with `{"odata.error": …}` otherwise). The full stand-in is tests/support/fake-1c-odata.ts.
 */
function onecServer() {
  const expected = `Basic ${Buffer.from(`${ONEC.username}:${ONEC.password}`).toString('base64')}`;
  const server = http.createServer((request, response) => {
    request.resume();
    const url = new URL(request.url ?? '/', 'http://onec');
    const set = decodeURIComponent(url.pathname).split('/').at(-1);
    const json = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const error = (status, code, value) =>
      json(status, { 'odata.error': { code, message: { lang: 'ru', value } } });
    if (request.headers.authorization !== expected) {
      return error(401, '-1', 'Ошибка аутентификации');
    }
    if (set !== 'Catalog_Пользователи') return error(404, '6', `Не найден сегмент URL: ${set}`);
    const rows = USERS.map((user) => ({ ...user, DeletionMark: false }));
    json(200, { 'odata.metadata': `${url.origin}/$metadata#${set}`, value: rows });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('administration: a 1C integration', () => {
  let app;
  let chromium;
  let onec;
  let token;

  before(async () => {
    onec = await onecServer();
    // The stand-in is on 127.0.0.1, which Podium refuses unless told.
    app = await startApp({ PODIUM_ALLOW_PRIVATE_CRM: 'true' });
    chromium = await launchBrowser();
    token = await app.signIn();
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
    await new Promise((resolve) => onec?.close(resolve));
  });

  for (const [viewport, size] of [
    [viewports.tv, 'tv'],
    [viewports.phone, 'phone'],
  ]) {
    for (const locale of ['ru-RU', 'en-US']) {
      const lang = locale.slice(0, 2);
      it(`creates it in the form and maps its users by name at ${size} size in ${lang}`, async () => {
        const context = await chromium.browser.newContext({ viewport, locale });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${app.url}/admin/integrations`);
        await page.waitForURL((url) => url.pathname === '/login');
        await page.locator('input[type=email]').fill(admin.email);
        await page.locator('input[type=password]').fill(admin.password);
        await page.locator('button[type=submit]').click();
        await page.waitForURL((url) => url.pathname === '/admin/integrations');

        const form = page.getByTestId('integration-form');
        const name = `1C ${size} ${lang}`;
        await form.locator('select[name=kind]').selectOption('1c-odata');
        await form.locator('input[name=username]').waitFor();
        await form.locator('input[name=name]').fill(name);
        await form
          .locator('input[name=baseUrl]')
          .fill(`http://127.0.0.1:${onec.address().port}/trade/odata/standard.odata`);
        await form.locator('input[name=username]').fill(ONEC.username);
        await form.locator('input[name=source]').fill(`1c-${size}-${lang}`);
        // The register is УТ 11's: БП 3.0 with it is refused next to the margin field.
        await form.locator('select[name=configuration]').selectOption('bp30');
        await form.locator('select[name=marginMode]').selectOption('register');
        await form.locator('input[name=password]').fill(ONEC.password);
        await form.getByRole('button', { name: lang === 'ru' ? 'Создать' : 'Create' }).click();
        await form.getByTestId('field-issue').first().waitFor();
        await screenshot(page, `admin-integrations-onec-form-${size}-${lang}`);
        await form.locator('select[name=configuration]').selectOption('ut11');
        // The password stays typed in the form after a refusal; sent again.
        await form.getByRole('button', { name: lang === 'ru' ? 'Создать' : 'Create' }).click();
        const row = page.getByTestId('integrations').locator('tr', { hasText: name });
        await row.waitFor();
        // The password is never shown back.
        assert.ok(!(await page.content()).includes(ONEC.password));

        await row
          .getByRole('button', {
            name: lang === 'ru' ? 'Сопоставление и отложенные сделки' : 'Mapping and held deals',
          })
          .click();
        const detail = page.getByTestId('integration-detail');
        const names = detail.getByTestId('crm-user-name');
        await names.first().waitFor();
        assert.deepEqual(await names.allTextContents(), ['Анна Петрова', 'Борис Иванов']);
        await detail.locator('select[name=participantId]').first().selectOption('demo-01');
        await detail
          .getByRole('button', { name: lang === 'ru' ? 'Сохранить сопоставление' : 'Save mapping' })
          .click();
        await page.getByTestId('mapping-saved').waitFor();
        await detail.scrollIntoViewIfNeeded();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
        await screenshot(page, `admin-integrations-onec-mapping-${size}-${lang}`);
        const list = await fetch(`${app.url}/api/integrations`, {
          headers: { authorization: `Bearer ${token}` },
        }).then((response) => response.json());
        const created = list.find((item) => item.name === name);
        const mapping = await fetch(`${app.url}/api/integrations/${created.id}/mappings`, {
          headers: { authorization: `Bearer ${token}` },
        }).then((response) => response.json());
        // Only the chosen user is mapped; the other stays offered.
        assert.deepEqual(mapping, { [USERS[0].Ref_Key]: 'demo-01' });
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
});
