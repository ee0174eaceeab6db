/* global document, window, getComputedStyle, NodeFilter -- code passed to page.evaluate runs in the page */
// Every screen in Russian and in English, and no text overflowing its box: text partly cut by a
// box that clips it (overflow hidden/clip, an ellipsis), text wider than its own box, or text
// outside the screen. Fails naming the screen, language and element.
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
const laptop = { width: 1366, height: 768 };
const tv4k = { width: 3840, height: 2160 };

/**
 * Runs in the page: every visible piece of text, measured where it is drawn (a DOM range), must
 * be whole —
 * - inside every box that clips it (overflow hidden/clip, text-overflow), unless that box hides it
 *   entirely (a list showing as many whole items as fit);
 * - inside its own block's box (a long word spilling out of a button or a card);
 * - on the screen sideways (unless inside a scroll container), and on a screen that does not
 *   scroll (`fixed`: the TV) above its bottom edge.
 * Answers one line per problem naming the element.
 */
function findOverflows(fixed) {
  const found = [];
  const seen = new Set();
  const describe = (element) => {
    const id = element.getAttribute('data-testid');
    const classes = [...element.classList].filter((name) => !name.startsWith('svelte-'));
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    return `<${element.tagName.toLowerCase()}${id ? ` data-testid="${id}"` : ''}${
      classes.length ? ` class="${classes.join(' ')}"` : ''
    }> "${text.slice(0, 60)}"`;
  };
  const report = (element, problem) => {
    const line = `${describe(element)} ${problem}`;
    if (!seen.has(line)) found.push(line);
    seen.add(line);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node.textContent.trim() === '') continue;
    const parent = node.parentElement;
    if (parent === null || parent.closest('svg, script, style, option, textarea, select')) continue;
    if (!parent.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const text = range.getBoundingClientRect();
    if (text.width === 0 || text.height === 0) continue;
    // The block the text sits in: its own box.
    let block = parent;
    while (
      block.parentElement &&
      ['inline', 'contents'].includes(getComputedStyle(block).display)
    ) {
      block = block.parentElement;
    }
    const own = block.getBoundingClientRect();
    // Screen-reader-only boxes (1 px, clipped) are meant to be invisible.
    if (own.width <= 2 || own.height <= 2) continue;
    let scrolled = false;
    let hidden = false;
    for (let box = parent; box !== null && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (
        ['auto', 'scroll'].includes(style.overflowX) ||
        ['auto', 'scroll'].includes(style.overflowY)
      ) {
        scrolled = true;
        break;
      }
      const clipsX = ['hidden', 'clip'].includes(style.overflowX);
      const clipsY = ['hidden', 'clip'].includes(style.overflowY);
      if (!clipsX && !clipsY) continue;
      const r = box.getBoundingClientRect();
      const inner = {
        left: r.left + box.clientLeft,
        top: r.top + box.clientTop,
        right: r.left + box.clientLeft + box.clientWidth,
        bottom: r.top + box.clientTop + box.clientHeight,
      };
      const outsideX = clipsX && (text.right <= inner.left + 1 || text.left >= inner.right - 1);
      const outsideY = clipsY && (text.bottom <= inner.top + 1 || text.top >= inner.bottom - 1);
      if (outsideX || outsideY) {
        hidden = true; // wholly hidden by design: not drawn at all
        break;
      }
      const cutX = clipsX && (text.left < inner.left - 1 || text.right > inner.right + 1);
      const cutY = clipsY && (text.top < inner.top - 1 || text.bottom > inner.bottom + 1);
      if (cutX || cutY) {
        report(parent, `is cut by ${describe(box)} (${cutX ? 'sideways' : 'at the bottom'})`);
        hidden = true;
        break;
      }
    }
    if (hidden) continue;
    if (text.right > own.right + 1 || text.left < own.left - 1) {
      report(
        parent,
        `is ${Math.round(Math.max(text.right - own.right, own.left - text.left))}px wider than its box`,
      );
    }
    if (!scrolled && (text.right > window.innerWidth + 1 || text.left < -1)) {
      report(parent, 'runs off the screen sideways');
    } else if (fixed && text.bottom > window.innerHeight + 1) {
      report(parent, 'runs off the bottom of the screen');
    }
  }
  return found;
}

describe('every screen in Russian and English, with no text overflowing its box', () => {
  let app;
  let chromium;
  let adminToken;
  let marathonId;

  before(async () => {
    app = await startApp();
    chromium = await launchBrowser();
    adminToken = await app.signIn();
    const contests = await fetch(`${app.url}/api/contests`, {
      headers: { authorization: `Bearer ${adminToken}` },
    }).then((response) => response.json());
    marathonId = contests.find((contest) => contest.name === 'Полугодовой марафон').id;
  });

  after(async () => {
    await chromium?.close();
    await app?.stop();
  });

  for (const [lang, locale] of [
    ['ru', 'ru-RU'],
    ['en', 'en-US'],
  ]) {
    it(`fits in ${lang}`, async () => {
      const problems = [];
      const errors = [];

      async function page(viewport) {
        const context = await chromium.browser.newContext({ viewport, locale });
        const tab = await context.newPage();
        tab.on('pageerror', (error) => errors.push(error.message));
        return { context, tab };
      }

      /**
       * Runs in the page: the place badges under a fund meter, each apart from the others (prizes
       * with close costs, or a pace far beyond them, used to stack their badges into one blot).
       */
      function findOverlappingBadges() {
        const found = [];
        for (const scale of document.querySelectorAll('[data-testid="fund-meter"] .scale')) {
          const boxes = [...scale.querySelectorAll('.tick')].map((tick) => ({
            text: tick.textContent.trim(),
            box: tick.getBoundingClientRect(),
          }));
          for (const [index, one] of boxes.entries()) {
            for (const other of boxes.slice(index + 1)) {
              if (one.box.right > other.box.left + 0.5 && other.box.right > one.box.left + 0.5)
                found.push(`fund meter badges ${one.text} and ${other.text} overlap`);
            }
          }
        }
        return found;
      }

      async function check(tab, screen, { fixed = false } = {}) {
        // Transitions, the rank animation and a celebration settle first (not the endless ones),
        // then the page is measured in the same turn, before anything new can start moving.
        const found = await tab.evaluate(`(async () => {
          await Promise.all(
            document
              .getAnimations()
              .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
              .map((animation) => animation.finished.catch(() => undefined)),
          );
          return [
            ...(${findOverflows.toString()})(${fixed}),
            ...(${findOverlappingBadges.toString()})(),
          ];
        })()`);
        for (const problem of found) problems.push(`${screen} (${lang}): ${problem}`);
        await screenshot(tab, `fit-${screen}-${lang}`);
      }

      // Signed out: home and sign-in.
      {
        const { context, tab } = await page(laptop);
        await tab.goto(app.url);
        await tab.locator('h1').first().waitFor();
        await check(tab, 'home');
        await tab.goto(`${app.url}/login`);
        await tab.locator('input[type=email]').waitFor();
        await check(tab, 'login');
        await context.close();
      }

      // The TV at 1080p and 4K, both demo contests: the demo display speaks this language and
      // shows each contest's leaderboard for 5 s.
      const displays = await fetch(`${app.url}/api/displays`, {
        headers: { authorization: `Bearer ${adminToken}` },
      }).then((response) => response.json());
      const demo = displays.find((display) => display.name === 'Demo TV');
      const configured = await fetch(`${app.url}/api/displays/${demo.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ language: lang, slides: ['leaderboard'], slideSeconds: 5 }),
      });
      assert.equal(configured.status, 200);
      for (const [screen, viewport] of [
        ['tv-1080', viewports.tv],
        ['tv-4k', tv4k],
      ]) {
        const { context, tab } = await page(viewport);
        await tab.goto(`${app.url}/tv/demo`);
        const name = tab.getByTestId('tv-contest-name');
        const shown = new Set();
        for (let contest = 1; contest <= 2; contest += 1) {
          const seen = [...shown].map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
          await name.filter({ hasNotText: new RegExp(seen.join('|') || '^$') }).waitFor();
          shown.add(await name.textContent());
          await tab.getByTestId('tv-row').nth(9).waitFor();
          await tab.getByTestId('fund-value').waitFor();
          await check(tab, `${screen}-${contest}`, { fixed: true });
        }
        await context.close();
      }

      // The phone, by the demo seller's personal link, each contest with the full ranking open.
      for (const [screen, query] of [
        ['mobile-1', ''],
        ['mobile-2', `?contest=${marathonId}`],
      ]) {
        const { context, tab } = await page(viewports.phone);
        await tab.goto(`${app.url}/m/p/pdp_demo${query}`);
        await tab.getByTestId('what-it-takes').waitFor();
        await tab.getByTestId('breakdown').waitFor();
        // The forecast's pace widens the meter's scale, which is when prizes' badges crowd.
        await tab.getByTestId('fund-pace').waitFor({ timeout: 60_000 });
        await tab.locator('details.all summary').click();
        await tab.getByTestId('full-list').locator('li').nth(39).waitFor();
        await check(tab, screen);
        await context.close();
      }

      // Staff screens on a laptop, signed in as the demo admin.
      {
        const { context, tab } = await page(laptop);
        await tab.goto(`${app.url}/login?next=/contests`);
        await tab.locator('input[type=email]').fill('admin@demo.local');
        await tab.locator('input[type=password]').fill('demo');
        await tab.locator('button[type=submit]').click();
        await tab.waitForURL((url) => url.pathname === '/contests');
        await tab.getByTestId('contests').locator('tbody tr').nth(1).waitFor();
        await check(tab, 'contests');

        await tab.goto(`${app.url}/contests/${marathonId}`);
        await tab.getByTestId('standings').locator('tbody tr').nth(39).waitFor();
        for (const chart of ['chart-points', 'chart-criteria', 'chart-fund']) {
          await tab.getByTestId(chart).waitFor({ timeout: 30_000 });
        }
        await check(tab, 'manager');

        await tab.goto(`${app.url}/model`);
        await tab
          .locator('textarea')
          .first()
          .fill(await fs.readFile(example, 'utf8'));
        await tab.getByTestId('fund').waitFor();
        await check(tab, 'model');

        await tab.goto(`${app.url}/simulate`);
        await tab
          .getByRole('button', {
            name: lang === 'ru' ? 'Загрузить участников' : 'Load participants',
          })
          .click();
        await tab.getByTestId('sim-participants').locator('tbody tr').nth(39).waitFor();
        await tab.getByTestId('sim-trials').fill('2000');
        await tab
          .getByRole('button', { name: lang === 'ru' ? 'Запустить симуляцию' : 'Run simulation' })
          .click();
        await tab
          .locator('[data-testid="sim-progress"][aria-valuenow="100"]')
          .waitFor({ timeout: 120_000 });
        await tab.getByTestId('sim-remedy').first().waitFor();
        await check(tab, 'simulator');

        await tab.goto(`${app.url}/admin`);
        // The admin screen loads on demand: its menu first, then its links are read.
        await tab.locator('nav a[href="/admin/participants"]').waitFor();
        const tabs = await tab
          .locator('nav a[href^="/admin/"]')
          .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
        assert.ok(tabs.length >= 5, `admin tabs: ${tabs.join(', ')}`);
        for (const href of tabs) {
          await tab.goto(`${app.url}${href}`);
          await tab.locator('main h2, main h3, main table, main form').first().waitFor();
          await tab.waitForLoadState('networkidle');
          await check(tab, `admin-${href.split('/').at(-1)}`);
        }
        await context.close();
      }

      assert.deepEqual(errors, []);
      assert.deepEqual(problems, [], `text overflows its box:\n${problems.join('\n')}`);
    });
  }
});
