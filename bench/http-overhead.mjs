// http-overhead: requests/s of Podium's GET /api/version (a route that touches no database),
// against a bare node:http server answering the same JSON body, measured in the same run with
// the same load generator and settings.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, repoRoot, waitForOk } from './support.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 32;

async function load(url) {
  // A short warm-up so the JIT and connection pools are hot, then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 1 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result.requests.average;
}

async function startBare() {
  const port = await freePort();
  const body = JSON.stringify({ name: 'podium', version: '0.1.0' });
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('node:http').createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(${JSON.stringify(body)}) }); res.end(${JSON.stringify(body)}); }).listen(${port}, '127.0.0.1')`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitForOk(url);
  return { url, stop: () => child.kill('SIGTERM') };
}

async function startPodium() {
  const port = await freePort();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-bench-'));
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API under load.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, path.join(repoRoot, 'apps/api/dist/main.js')],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PODIUM_DATA_DIR: dataDir,
        PODIUM_DEMO: 'false',
        // Request logging stays on, as in production; the lines go nowhere here.
        LOG_LEVEL: 'info',
      },
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitForOk(`http://127.0.0.1:${port}/api/health`, 120_000);
  return {
    url: `http://127.0.0.1:${port}/api/version`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function httpOverhead() {
  const bare = await startBare();
  const podium = await startPodium();
  try {
    const baseline = await load(bare.url);
    const value = await load(podium.url);
    return { bench: 'http-overhead', value, unit: 'requests/s', baseline };
  } finally {
    await podium.stop();
    bare.stop();
  }
}
