import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports, waitUntil } from './harness.mjs';

const laptop = { width: 1366, height: 768 };

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

const login = (app, email, password) =>
  call(app, null, 'POST', '/auth/login', { email, password }).then((answer) => answer.token);

/** The demo's manager, created when the demo has none. */
async function managerCredentials(app, adminToken) {
  const users = await call(app, adminToken, 'GET', '/users');
  if (users.some((user) => user.email === 'manager@demo.local')) {
    return { email: 'manager@demo.local', password: 'demo' };
  }
  const credentials = { email: 'manager-browser@demo.local', password: 'manager-browser' };
  await call(app, adminToken, 'POST', '/users', { ...credentials, role: 'manager' });
  return credentials;
}

async function signIn(page, app, { email, password }, next) {
  await page.goto(`${app.url}${next}`);
  // Without a session the page sends us to sign in, and back after.
  await page.waitForURL((url) => url.pathname === '/login' && url.search.includes('next='));
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === next);
}

describe('manager dashboard', () => {
  let app;
  let chromium;
  let adminToken;
  let manager;
  let marathon;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    adminToken = await login(app, 'admin@demo.local', 'demo');
    manager = await managerCredentials(app, adminToken);
    const contests = await call(app, adminToken, 'GET', '/contests');
    marathon = contests.find((contest) => contest.name === 'Полугодовой марафон');
    assert.ok(marathon, 'the demo has the marathon');
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
    await signIn(page, app, manager, path);
    return { context, page, errors };
  }

  it('lists the contests with their state, period, participants and fund', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en-US', '/contests');
    const rows = page.getByTestId('contests').locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    const marathonRow = rows.filter({ hasText: 'Полугодовой марафон' });
    await marathonRow.getByText('live').waitFor();
    // The demo's marathon started two months before the current month: its period moves with
    // the date, so the expected text is made from the API's period (end exclusive).
    const day = (ms) =>
      new Date(ms).toLocaleDateString('en-US', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      });
    const { start, end } = marathon.period;
    await marathonRow
      .getByText(`${day(Date.parse(start))} – ${day(Date.parse(end) - 1)}`)
      .waitFor();
    await rows
      .filter({ hasText: 'Спринт месяца' })
      .getByText(/₽[\d,]+/)
      .waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the full table with every criterion, the charts, and fits 1920×1080 in both languages', async () => {
    const file = await call(app, adminToken, 'GET', `/contests/${marathon.id}/file`);
    for (const [locale, name] of [
      ['en-US', 'manager-tv-en'],
      ['ru-RU', 'manager-tv-ru'],
    ]) {
      const { context, page, errors } = await open(
        viewports.tv,
        locale,
        `/contests/${marathon.id}`,
      );
      const table = page.getByTestId('standings');
      await table.locator('tbody tr').nth(39).waitFor();
      assert.equal(await table.locator('tbody tr').count(), 40);
      await page
        .getByTestId('criterion-header')
        .first()
        .filter({ hasText: file.criteria[0].title })
        .waitFor();
      const headers = await page.getByTestId('criterion-header').allTextContents();
      assert.deepEqual(
        headers.map((header) => header.trim()),
        file.criteria.map((criterion) => criterion.title),
      );
      // Two cells (value, points) per criterion in every row.
      const firstRow = table.locator('tbody tr').first();
      assert.equal(await firstRow.locator('td').count(), 4 + 2 * file.criteria.length + 3);
      for (const chart of ['chart-points', 'chart-criteria', 'chart-fund']) {
        const canvas = page.getByTestId(chart);
        await canvas.waitFor({ timeout: 30_000 });
        const box = await canvas.boundingBox();
        assert.ok(
          box && box.width > 100 && box.height > 100,
          `${chart} has a size: ${JSON.stringify(box)}`,
        );
      }
      // The team filter keeps one team's rows.
      const team = (
        await table.locator('tbody tr').first().locator('td').nth(3).textContent()
      ).trim();
      await page.getByTestId('team-filter').selectOption(team);
      assert.equal(await table.locator('tbody tr').count(), 10);
      await page.getByTestId('team-filter').selectOption('');
      await table.locator('tbody tr').nth(39).waitFor();
      await page.waitForTimeout(500);
      await screenshot(page, name);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('reverses the newest sale: the reversal shows in the feed and the standings change', async () => {
    const { context, page, errors } = await open(laptop, 'en-US', `/contests/${marathon.id}`);
    const feed = page.getByTestId('feed');
    const sale = feed.locator('tr[data-type=sale]').first();
    await sale.waitFor();
    const seq = Number(await sale.getAttribute('data-seq'));
    const [stored] = await call(
      app,
      adminToken,
      'GET',
      `/contests/${marathon.id}/events?beforeSeq=${seq + 1}&limit=1`,
    );
    assert.equal(stored.seq, seq);
    const participantId = stored.event.participantId;
    const before = await call(app, adminToken, 'GET', `/contests/${marathon.id}/standings`);
    const marginBefore = before.standings.find((row) => row.participantId === participantId)
      .criteria[0].value;
    const cell = page
      .locator(`[data-testid=standings] tr[data-participant="${participantId}"] td`)
      .nth(4);
    const shownBefore = await cell.textContent();

    await sale.getByRole('button', { name: 'Reverse' }).click();
    const form = page.getByTestId('reverse-form');
    // The server's issue shows next to the field when the reason is missing.
    await form.getByRole('button', { name: 'Confirm reversal' }).click();
    await form.getByTestId('field-issue').waitFor();
    await form.locator('input[name=reason]').fill('Duplicate deal from the CRM');
    await form.getByRole('button', { name: 'Confirm reversal' }).click();

    await feed.locator(`tr[data-seq="${seq}"]`).getByText('reversed').waitFor();
    const reversal = feed.locator('tr[data-type=reversal]').first();
    await reversal.waitFor();
    const reversalSeq = Number(await reversal.getAttribute('data-seq'));
    assert.ok(reversalSeq > seq);

    // The standings lost exactly that sale's margin (plus any sale the demo added for them since).
    const afterStandings = await call(app, adminToken, 'GET', `/contests/${marathon.id}/standings`);
    const newer = await call(app, adminToken, 'GET', `/contests/${marathon.id}/events?limit=500`);
    const added = newer
      .filter(
        (item) =>
          item.seq > before.seq &&
          item.seq <= afterStandings.seq &&
          item.event.type === 'sale' &&
          item.event.participantId === participantId,
      )
      .reduce((sum, item) => sum + item.event.marginMinor, 0);
    const marginAfter = afterStandings.standings.find((row) => row.participantId === participantId)
      .criteria[0].value;
    assert.equal(marginAfter, marginBefore - stored.event.marginMinor + added);
    // …and the table on screen follows.
    await waitUntil(async () => (await cell.textContent()) !== shownBefore, {
      what: 'the table shows the new standings',
    });
    await page.getByTestId('audit').getByText('correction').first().waitFor();
    await screenshot(page, 'manager-laptop-en-feed');
    await page.mouse.wheel(0, -10_000);
    await page.waitForTimeout(300);
    await screenshot(page, 'manager-laptop-en');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('adds a sale by hand, showing the server’s issues next to the fields first', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en-US', `/contests/${marathon.id}`);
    await page.getByRole('button', { name: 'Add a sale by hand' }).click();
    const form = page.getByTestId('sale-form');
    await form.getByRole('button', { name: 'Add the sale' }).click();
    // Nothing chosen: the participant, the amounts and the reason are named.
    await form.locator('label', { hasText: 'Participant' }).getByTestId('field-issue').waitFor();
    await form.locator('label', { hasText: 'Reason' }).getByTestId('field-issue').waitFor();
    await form.locator('select[name=participantId]').selectOption({ index: 1 });
    await form.locator('input[name=amount]').fill('abc');
    await form.locator('input[name=margin]').fill('30000');
    await form.locator('input[name=reason]').fill('Paper contract entered by hand');
    await form.getByRole('button', { name: 'Add the sale' }).click();
    // Read in the browser with the model's parser, refused by its code in the reader's language.
    await form
      .locator('label', { hasText: 'Amount' })
      .getByText('must be an amount in major units, e.g. 180000.50')
      .waitFor();
    // Typed as a Russian spreadsheet writes it: the amount the file import would read.
    await form.locator('input[name=amount]').fill('1 234 567,89');
    await form.getByRole('button', { name: 'Add the sale' }).click();
    await page.getByText('Correction recorded').waitFor();
    const row = page
      .getByTestId('feed')
      .locator('tr[data-type=sale]')
      .filter({ hasText: '₽1,234,568' });
    await row.first().waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('publishes a checkpoint and shows its standings', async () => {
    const { context, page, errors } = await open(viewports.tv, 'en-US', `/contests/${marathon.id}`);
    const first = page.locator('[data-testid=checkpoint][data-number="1"]');
    await first.waitFor();
    await first.getByRole('button', { name: 'Publish' }).click();
    await first.getByTestId('checkpoint-published').waitFor();
    const [checkpoint] = await call(app, adminToken, 'GET', `/contests/${marathon.id}/checkpoints`);
    assert.notEqual(checkpoint.publishedAt, null);
    await first.getByRole('button', { name: /Month results 1/ }).click();
    assert.equal(await first.locator('tbody tr').count(), 40);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
