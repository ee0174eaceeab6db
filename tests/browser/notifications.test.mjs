/* global document, getComputedStyle -- code passed to page.evaluate runs in the page */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, screenshot, startApp, viewports } from './harness.mjs';

const TOKEN = '123456789:TEST-browser_notifications';
const BOT = 'podium_browser_bot';
const CHAT = 777;

/**
 * The Bot API as grammY calls it (`POST <root>/bot<token>/<method>`, JSON in and out): getMe,
 * deleteWebhook, getUpdates as a long poll and sendMessage, which answers 400 while `failing`
 * is set (as Telegram answers a request it refuses).
 */
async function startBotApi() {
  const updates = [];
  const sent = [];
  const waiting = new Set();
  let nextUpdate = 1;
  let nextMessage = 1;
  const state = { failing: false };
  const server = http.createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text === '' ? {} : JSON.parse(text);
    const method = /\/bot[^/]+\/(\w+)$/.exec(request.url ?? '')?.[1] ?? '';
    const answer = (status, payload) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (method === 'getMe') {
      return answer(200, {
        ok: true,
        result: { id: 7000000002, is_bot: true, first_name: 'Podium', username: BOT },
      });
    }
    if (method === 'deleteWebhook') return answer(200, { ok: true, result: true });
    if (method === 'getUpdates') {
      const offset = Number(body.offset ?? 0);
      const ready = () => updates.filter((update) => update.update_id >= offset);
      const deadline = Date.now() + Math.min(Number(body.timeout ?? 0), 2) * 1000;
      while (ready().length === 0 && Date.now() < deadline && !response.destroyed) {
        await new Promise((resolve) => {
          waiting.add(resolve);
          setTimeout(resolve, 200);
        });
      }
      return answer(200, { ok: true, result: ready() });
    }
    if (method === 'sendMessage') {
      if (state.failing) {
        sent.push({ chatId: Number(body.chat_id), text: body.text, status: 400 });
        return answer(400, {
          ok: false,
          error_code: 400,
          description: 'Bad Request: message is too long',
        });
      }
      sent.push({ chatId: Number(body.chat_id), text: body.text, status: 200 });
      return answer(200, {
        ok: true,
        result: {
          message_id: nextMessage++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id), type: 'private' },
          text: body.text,
        },
      });
    }
    return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    sent,
    state,
    /** A private message from chat 777, as Telegram delivers it. */
    say(text) {
      updates.push({
        update_id: nextUpdate++,
        message: {
          message_id: nextMessage++,
          date: Math.floor(Date.now() / 1000),
          from: { id: CHAT, is_bot: false, first_name: 'Anna' },
          chat: { id: CHAT, type: 'private', first_name: 'Anna' },
          text,
          entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }],
        },
      });
      for (const wake of waiting) wake();
      waiting.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until(check, what) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    // A hang detector only: every wait ends on its condition.
    if (Date.now() - started > 120_000) throw new Error(`waited two minutes for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Does any element of the page show text cut off by its box? */
function overflowing(page, selector) {
  return page.evaluate((root) => {
    const cut = [];
    for (const element of document.querySelectorAll(`${root} *`)) {
      const style = getComputedStyle(element);
      if (style.overflow === 'hidden' && style.textOverflow === 'ellipsis') continue;
      if (element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0) {
        cut.push(`${element.tagName}.${element.className}: ${element.textContent?.slice(0, 40)}`);
      }
    }
    return cut;
  }, selector);
}

/**
 * Notifications on the screens: the seller's phone links Telegram (a t.me link with its code and
 * a QR code), and the admin's Messages screen lists the messages with their state and sends a
 * failed one again — against a local Bot API, never Telegram's.
 */
describe('notifications screens', () => {
  let bot;
  let app;
  let chromium;
  let adminToken;

  async function call(method, path, body, token = adminToken) {
    const response = await fetch(`${app.url}/api${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  before(async () => {
    bot = await startBotApi();
    app = await startApp({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: bot.url,
      // Nothing is held for the night whenever the test runs.
      PODIUM_QUIET_HOURS: '00:00-00:00',
    });
    chromium = await launchBrowser();
    const login = await call(
      'POST',
      '/auth/login',
      { email: 'admin@demo.local', password: 'demo' },
      null,
    );
    adminToken = login.body.token;
    assert.ok(adminToken, 'the demo admin signs in');
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
    await bot?.close();
  });

  for (const [locale, lang, button] of [
    ['ru-RU', 'ru', 'Подключить Telegram'],
    ['en-US', 'en', 'Link Telegram'],
  ]) {
    it(`the phone links Telegram with a t.me link, its code and a QR code (${lang})`, async () => {
      const context = await chromium.browser.newContext({ viewport: viewports.phone, locale });
      const page = await context.newPage();
      await page.goto(`${app.url}/m/p/pdp_demo`);
      const panel = page.getByTestId('telegram-link');
      await panel.getByRole('button', { name: button }).click();
      const link = panel.getByTestId('telegram-link-url');
      const url = await link.getAttribute('href');
      assert.match(url, new RegExp(`^https://t\\.me/${BOT}\\?start=[\\w-]+$`));
      const code = new URL(url).searchParams.get('start');
      assert.equal(await panel.getByTestId('telegram-link-code').textContent(), `/start ${code}`);
      // The QR code is drawn: dark and light pixels on its canvas.
      const qr = panel.getByTestId('telegram-link-qr');
      await qr.scrollIntoViewIfNeeded();
      const shades = await qr.evaluate((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let dark = 0;
        for (let index = 0; index < data.length; index += 4) if (data[index] < 128) dark += 1;
        return { dark, all: data.length / 4 };
      });
      assert.ok(shades.dark > shades.all * 0.2 && shades.dark < shades.all * 0.8, 'a QR code');
      assert.deepEqual(await overflowing(page, '[data-testid=telegram-link]'), []);
      await screenshot(page, `phone-telegram-link-${lang}`);
      await context.close();
    });
  }

  it('lists the messages on the admin screen and sends a failed one again', async () => {
    // The demo seller links chat 777 with a code from their phone link.
    const opened = await call('POST', '/personal-links/open', { token: 'pdp_demo' }, null);
    const participantId = opened.body.participantId;
    const linkCode = await call(
      'POST',
      `/participants/${participantId}/telegram-link`,
      undefined,
      'pdp_demo',
    );
    assert.equal(linkCode.status, 201);
    bot.say(`/start ${linkCode.body.code}`);
    await until(() => bot.sent.some((message) => message.chatId === CHAT), 'the welcome');

    // Telegram refuses what follows: a sale that puts the seller first is told, and fails.
    bot.state.failing = true;
    const sale = await call('POST', '/events', {
      type: 'sale',
      source: 'browser-test',
      externalId: 'notifications-1',
      participantId,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      amountMinor: 90_000_000_000,
      marginMinor: 18_000_000_000,
    });
    assert.equal(sale.status, 201);
    const failed = await until(async () => {
      const list = await call('GET', '/notifications?state=failed&channel=telegram');
      return list.body.find((row) => row.chatId === String(CHAT));
    }, 'a failed message to chat 777');
    assert.match(failed.lastError, /message is too long/);
    bot.state.failing = false;

    for (const [locale, lang] of [
      ['en-US', 'en'],
      ['ru-RU', 'ru'],
    ]) {
      const context = await chromium.browser.newContext({ viewport: viewports.tv, locale });
      const page = await context.newPage();
      await page.goto(`${app.url}/login?next=/admin/messages`);
      await page.locator('input[type=email]').fill('admin@demo.local');
      await page.locator('input[type=password]').fill('demo');
      await page.locator('button[type=submit]').click();
      await page.waitForURL((url) => url.pathname === '/admin/messages');
      const table = page.getByTestId('messages');
      // The chat and whose it is, by name.
      await table
        .locator('tr[data-state=failed]', { hasText: `${CHAT} · ${opened.body.name}` })
        .first()
        .waitFor();
      assert.deepEqual(await overflowing(page, 'main'), []);
      await screenshot(page, `admin-messages-${lang}`);
      if (lang === 'ru') {
        // Only the failed ones, then Retry: sent, on the second attempt.
        await page.locator('select[name=state]').selectOption('failed');
        const row = table.locator('tr[data-state=failed]', { hasText: String(CHAT) }).first();
        await row.getByRole('button', { name: 'Повторить' }).click();
        await page.getByRole('status').filter({ hasText: 'Снова в очереди' }).waitFor();
        await until(async () => {
          const list = await call('GET', '/notifications?channel=telegram');
          return list.body.find((each) => each.id === failed.id)?.state === 'sent';
        }, 'the retried message to be sent');
        await page.locator('select[name=state]').selectOption('');
        await table.locator('tr[data-state=sent]').first().waitFor();
        await screenshot(page, 'admin-messages-ru-retried');
      }
      await context.close();
    }
    const delivered = bot.sent.filter(
      (message) => message.chatId === CHAT && message.text === failed.text,
    );
    assert.deepEqual(
      delivered.map((message) => message.status),
      [400, 200],
    );
  });
});
