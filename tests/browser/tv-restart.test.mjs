/* global window -- code passed to page.evaluate runs in the page */
// The office TV outlives the API: the real server is killed (SIGKILL, then SIGTERM) under an open
// `/tv/<token>` page, which shows "offline since …", and recovers by itself when the server comes
// back on the same port and database — no reload — showing a deal posted after the restart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { launchBrowser, screenshot, viewports } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'admin@restart.test', password: 'restart password' };

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function copyTree(from, to) {
  return new Promise((resolve, reject) => {
    const cp = spawn('cp', ['-a', from, to], { stdio: 'inherit' });
    cp.once('error', reject);
    cp.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cp -a exited ${code}`))));
  });
}

function day(offset) {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The built API on a fixed port and its own database: a fresh database on the PostgreSQL of
 * `DATABASE_URL` when set, else the embedded PostgreSQL in a data directory of its own (which
 * survives a `kill -9` of the API: the next start clears what it left).
 */
class Server {
  #child = null;
  #exited = null;
  output = '';

  constructor(port, env) {
    this.port = port;
    this.env = env;
    this.url = `http://127.0.0.1:${port}`;
  }

  async start() {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !['DATABASE_URL', 'PODIUM_DATA_DIR', 'PODIUM_DEMO', 'REDIS_URL'].includes(name),
      ),
    );
    this.#child = spawn(process.execPath, [path.join(root, 'apps/api/dist/main.js')], {
      cwd: root,
      env: { ...inherited, PORT: String(this.port), HOST: '127.0.0.1', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = this.#child;
    child.stdout.on('data', (chunk) => (this.output += chunk));
    child.stderr.on('data', (chunk) => (this.output += chunk));
    this.#exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited: ${this.output.slice(-3000)}`);
      const ok = await fetch(`${this.url}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`the API did not start: ${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async kill(signal) {
    if (this.#child === null) return;
    this.#child.kill(signal);
    await this.#exited;
    this.#child = null;
  }
}

describe('office TV across an API restart', () => {
  let server;
  let chromium;
  /** The server's database: a copy taken while the server is down, put back later. */
  let store;
  let adminToken;
  let displayToken;
  let contestId;

  async function call(method, urlPath, body, token = adminToken) {
    const response = await fetch(`${server.url}/api${urlPath}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${urlPath}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  before(async () => {
    const env = {
      PODIUM_DEMO: 'false',
      PODIUM_ADMIN_EMAIL: ADMIN.email,
      PODIUM_ADMIN_PASSWORD: ADMIN.password,
    };
    if (process.env.DATABASE_URL) {
      const name = `podium_tv_restart_${process.pid}_${Date.now()}`;
      const admin = async (...statements) => {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        try {
          for (const statement of statements) await client.query(statement);
        } finally {
          await client.end();
        }
      };
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
      store = {
        backup: () => admin(`CREATE DATABASE ${name}_backup TEMPLATE ${name}`),
        restore: () =>
          admin(
            `DROP DATABASE ${name} WITH (FORCE)`,
            `CREATE DATABASE ${name} TEMPLATE ${name}_backup`,
          ),
        cleanup: () =>
          admin(
            `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`,
            `DROP DATABASE IF EXISTS ${name}_backup`,
          ),
      };
    } else {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-tv-restart-'));
      const backupDir = `${dataDir}-backup`;
      env.PODIUM_DATA_DIR = dataDir;
      store = {
        // `cp -a`: the cluster's files keep their owner (PostgreSQL may run as its own user).
        backup: () => copyTree(dataDir, backupDir),
        restore: async () => {
          await fs.rm(dataDir, { recursive: true, force: true });
          await copyTree(backupDir, dataDir);
        },
        cleanup: async () => {
          await fs.rm(dataDir, { recursive: true, force: true });
          await fs.rm(backupDir, { recursive: true, force: true });
        },
      };
    }
    server = new Server(await freePort(), env);
    await server.start();
    chromium = await launchBrowser();

    adminToken = (await call('POST', '/auth/login', ADMIN, null)).token;
    const created = await call('POST', '/contests', {
      name: 'Restart Cup',
      period: { start: day(-10), end: day(20) },
      funding: { fundShare: 0.4, mode: 'unlockInOrder' },
      prizes: [{ place: 1, title: 'Trip', costMinor: 1_000_000 }],
      criteria: [{ metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 }],
      participants: Array.from({ length: 12 }, (_, index) => ({
        id: `r${index + 1}`,
        name: index === 0 ? 'Restart Tester' : `Seller ${index + 1}`,
        plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
      })),
    });
    contestId = created.id;
    await call('POST', `/contests/${contestId}/launch`, {
      override: { reason: 'browser test fixture: launched without an approved simulation' },
    });
    // An English TV (the texts the test reads are the display's language, not the browser's)
    // that stays on the leaderboard, whose rows the test reads.
    displayToken = (
      await call('POST', '/displays', {
        name: 'Lobby',
        contestIds: [contestId],
        language: 'en',
        slides: ['leaderboard'],
      })
    ).token;
  });

  after(async () => {
    await chromium?.close();
    await server?.kill('SIGTERM');
    await store?.cleanup();
  });

  let sales = 0;
  function sale(participantId, amountMinor = 500_000 + sales * 10_000) {
    sales += 1;
    return call('POST', '/events', {
      type: 'sale',
      source: 'test',
      externalId: `restart-${sales}`,
      participantId,
      occurredAt: new Date().toISOString(),
      amountMinor,
      marginMinor: 100_000,
    });
  }

  it('shows offline while the API is down and recovers by itself, with the deals posted after it', async () => {
    const context = await chromium.browser.newContext({ viewport: viewports.tv, locale: 'en-US' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/tv/${displayToken}`);
    await page.getByTestId('tv-contest-name').filter({ hasText: 'Restart Cup' }).waitFor();
    await page.getByTestId('tv-row').nth(9).waitFor();
    // A marker a reload would wipe.
    await page.evaluate(() => (window.__sameDocument = 'still here'));
    const banner = page.getByTestId('offline-banner');
    const ticker = page.getByTestId('tv-deal');
    assert.equal(await banner.count(), 0);

    /** Stops the server, waits for the banner, starts it again, waits for the banner to go. */
    async function restart(signal, whileDown = async () => {}) {
      await server.kill(signal);
      await banner
        .filter({ hasText: /^\s*Offline since \d{1,2}:\d{2}/ })
        .waitFor({ timeout: 20_000 });
      // The last figures stay on the screen while the server is away.
      assert.equal(await page.getByTestId('tv-row').count(), 10);
      if (signal === 'SIGKILL') await screenshot(page, 'tv-1080-en-restart-offline');
      await whileDown();
      await server.start();
      // Back by itself: socket.io's backoff is capped at 5 s, the banner goes once resubscribed.
      await banner.waitFor({ state: 'detached', timeout: 30_000 });
    }

    /** Posts a deal and answers how long the screen took to show it in the ticker. */
    async function dealShows(participantId, name, amountMinor) {
      const before = await ticker.filter({ hasText: name }).count();
      const posted = Date.now();
      await sale(participantId, amountMinor);
      await ticker.filter({ hasText: name }).nth(before).waitFor({ timeout: 2_000 });
      return Date.now() - posted;
    }

    const top = page.getByTestId('tv-row').first();
    // A kill -9 of the API, then an orderly stop (the server closes every socket).
    for (const signal of ['SIGKILL', 'SIGTERM']) {
      await restart(signal);
      const shownAfter = await dealShows('r1', 'Restart Tester');
      assert.ok(shownAfter <= 2_000, `the deal showed ${shownAfter} ms after it was posted`);
      await top.filter({ hasText: 'Restart Tester' }).waitFor({ timeout: 2_000 });
    }

    // The server comes back from a backup, with a seq lower than the screen's: its view wins.
    await restart('SIGTERM', () => store.backup());
    for (let deal = 0; deal < 3; deal += 1) await dealShows('r1', 'Restart Tester');
    const seqBefore = (await call('GET', `/contests/${contestId}/standings`)).seq;
    await restart('SIGTERM', () => store.restore());
    const seqRestored = (await call('GET', `/contests/${contestId}/standings`)).seq;
    assert.ok(seqRestored < seqBefore, `restored seq ${seqRestored} < ${seqBefore}`);
    const shownAfter = await dealShows('r2', 'Seller 2', 90_000_000);
    assert.ok(shownAfter <= 2_000, `the deal showed ${shownAfter} ms after it was posted`);
    await top.filter({ hasText: 'Seller 2' }).waitFor({ timeout: 2_000 });

    // Never reloaded: the same document all along.
    const state = await page.evaluate(() => ({
      marker: window.__sameDocument,
      navigations: performance.getEntriesByType('navigation').length,
      type: performance.getEntriesByType('navigation')[0]?.type,
    }));
    assert.deepEqual(state, { marker: 'still here', navigations: 1, type: 'navigate' });
    await screenshot(page, 'tv-1080-en-restart-recovered');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
