// tv-first-render: ms from navigating to /tv/demo to ten standings rows on screen, in Chromium on
// localhost (median of 5 fresh page loads) — baseline: the same browser loading a bare HTML page
// of ten rows from node:http in the same run (the floor of a navigation and a paint).
// web-bundle-tv: gzip KB of the JavaScript the TV page loads — baseline: the JavaScript of the
// app's shell (the home page), which every screen loads.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { freePort, repoRoot, waitForOk } from './support.mjs';

const LOADS = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function withDemoApp(run) {
  const port = await freePort();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-bench-tv-'));
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/api/dist/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PODIUM_DATA_DIR: dataDir,
      PODIUM_DEMO: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitForOk(`http://127.0.0.1:${port}/api/health`, 180_000);
    return await run(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function withBrowser(run) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    return await run(browser);
  } finally {
    await browser.close();
  }
}

/** Median ms from navigation to `ready` resolving, over fresh contexts (no cache). */
async function timeLoads(browser, url, ready) {
  const times = [];
  for (let load = 0; load < LOADS; load += 1) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(url);
    await ready(page);
    times.push(performance.now() - started);
    await context.close();
  }
  return median(times);
}

/** gzip bytes of every script the page loads until `ready`. */
async function scriptBytes(browser, url, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script')
      bodies.push(response.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  const total = (await Promise.all(bodies)).reduce((sum, body) => sum + gzipSync(body).length, 0);
  await context.close();
  return total;
}

async function bareRows() {
  const rows = Array.from(
    { length: 10 },
    (_, i) => `<li data-testid="tv-row">Seller ${i + 1}</li>`,
  ).join('');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><body><ol>${rows}</ol></body></html>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

const tenRows = (page) => page.getByTestId('tv-row').nth(9).waitFor({ timeout: 30_000 });

export async function tvFirstRender() {
  return withDemoApp((base) =>
    withBrowser(async (browser) => {
      const bare = await bareRows();
      try {
        const baseline = await timeLoads(browser, bare.url, tenRows);
        const value = await timeLoads(browser, `${base}/tv/demo`, tenRows);
        return { bench: 'tv-first-render', value, unit: 'ms (median, lower is better)', baseline };
      } finally {
        bare.close();
      }
    }),
  );
}

export async function webBundleTv() {
  return withDemoApp((base) =>
    withBrowser(async (browser) => {
      const value = await scriptBytes(browser, `${base}/tv/demo`, tenRows);
      const baseline = await scriptBytes(browser, `${base}/`, (page) =>
        page.getByRole('heading', { name: 'Podium' }).waitFor(),
      );
      return {
        bench: 'web-bundle-tv',
        value: value / 1024,
        unit: 'KB gzip (lower is better)',
        baseline: baseline / 1024,
      };
    }),
  );
}
