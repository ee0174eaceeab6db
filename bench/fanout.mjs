// fanout: p99 milliseconds from an event's commit (the answer to its POST /api/events) to its
// receipt as a `standings` update by each of 1,000 subscribed socket.io clients — against a bare
// socket.io server broadcasting a payload of the same size to 1,000 clients, in the same run.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { freePort, repoRoot, waitForOk } from './support.mjs';

const CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 1_000);
const EVENTS = Number(process.env.BENCH_FANOUT_EVENTS ?? 30);
// Longer than the 100 ms coalescing window, so every event is its own update.
const SPACING_MS = 250;

function p99(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

/**
 * Connects the clients. Each notes, for every event n, when it first got an update whose seq is
 * n or later (a coalesced update covers several events); latencies are computed at the end
 * against the time the event's POST was answered, so an update that beats the answer counts 0.
 */
async function connectAll(url, auth, onView = () => undefined) {
  const clients = [];
  for (let index = 0; index < CLIENTS; index += 1) {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth,
    });
    const client = { socket, received: new Map(), seen: 0 };
    clients.push(client);
    socket.on('standings', (view) => {
      const now = performance.now();
      for (let n = client.seen + 1; n <= view.seq; n += 1) client.received.set(n, now);
      client.seen = Math.max(client.seen, view.seq);
      onView(view);
    });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  }
  return clients;
}

/** Waits until every client has seen `events`, then answers every latency, or throws. */
async function latenciesOf(clients, answeredAt, events) {
  const deadline = Date.now() + 30_000;
  while (clients.some((client) => client.seen < events) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const late = clients.filter((client) => client.seen < events);
  if (late.length > 0) {
    const dropped = late.filter((client) => !client.socket.connected).length;
    throw new Error(
      `fanout: ${late.length} of ${clients.length} clients did not get every update (${dropped} were disconnected by the server, e.g. missed heartbeats on an overloaded machine)`,
    );
  }
  const latencies = [];
  for (const client of clients) {
    for (const [n, at] of client.received) {
      const answered = answeredAt.get(n);
      if (answered !== undefined) latencies.push(Math.max(0, at - answered));
    }
    client.socket.disconnect();
  }
  return latencies;
}

async function podium() {
  const port = await freePort();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podium-bench-fanout-'));
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/api/dist/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PODIUM_DATA_DIR: dataDir,
      PODIUM_DEMO: 'false',
      PODIUM_ADMIN_EMAIL: 'bench@podium.local',
      PODIUM_ADMIN_PASSWORD: 'bench-password',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${base}/api/health`, 120_000);
    const json = async (method, route, body, token) => {
      const response = await fetch(`${base}${route}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body ?? {}),
      });
      return response.json();
    };
    const { token } = await json('POST', '/api/auth/login', {
      email: 'bench@podium.local',
      password: 'bench-password',
    });
    const start = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const participants = Array.from({ length: 40 }, (_, i) => ({
      id: `f${i}`,
      name: `Seller ${i}`,
      plan: { turnoverMinor: 100_000_000, marginMinor: 20_000_000 },
    }));
    const { id } = await json(
      'POST',
      '/api/contests',
      {
        name: 'Fanout',
        period: { start, end },
        funding: { fundShare: 0.3 },
        prizes: [{ place: 1, title: 'Prize', costMinor: 1_000_000 }],
        criteria: [{ metric: 'turnover', basis: 'percentOfPlan', weight: 1 }],
        participants,
      },
      token,
    );
    await json(
      'POST',
      `/api/contests/${id}/launch`,
      { override: { reason: 'benchmark contest: launched without a simulation' } },
      token,
    );

    const answeredAt = new Map();
    let payloadBytes = 0;
    const clients = await connectAll(`${base}/live`, { token }, (view) => {
      if (payloadBytes === 0) payloadBytes = JSON.stringify(view).length;
    });
    await Promise.all(
      clients.map(({ socket }) =>
        socket.timeout(30_000).emitWithAck('subscribe', { contestId: id }),
      ),
    );
    for (let n = 1; n <= EVENTS; n += 1) {
      const response = await fetch(`${base}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          type: 'sale',
          source: 'bench',
          externalId: `fanout-${n}`,
          participantId: `f${n % 40}`,
          occurredAt: new Date().toISOString(),
          amountMinor: 100_000,
          marginMinor: 20_000,
        }),
      });
      answeredAt.set(n, performance.now());
      await response.json();
      await new Promise((resolve) => setTimeout(resolve, SPACING_MS));
    }
    return { p99: p99(await latenciesOf(clients, answeredAt, EVENTS)), payloadBytes };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** A bare socket.io server: POST / broadcasts the body to every client of the namespace. */
async function bare(payloadBytes) {
  const port = await freePort();
  const script = `
    const http = require('node:http');
    const { Server } = require('socket.io');
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        // Answer first, then broadcast: as Podium acknowledges an event once committed and
        // pushes the update after, so both figures run from the acknowledgement.
        res.end('{}');
        if (req.method === 'POST') live.emit('standings', JSON.parse(body));
      });
    });
    const io = new Server(server, { serveClient: false });
    const live = io.of('/live');
    server.listen(${port}, '127.0.0.1');
  `;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: path.join(repoRoot, 'apps/api'),
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(base);
    const answeredAt = new Map();
    const clients = await connectAll(`${base}/live`, {});
    const filler = 'x'.repeat(Math.max(0, payloadBytes - 50));
    for (let n = 1; n <= EVENTS; n += 1) {
      const response = await fetch(base, {
        method: 'POST',
        body: JSON.stringify({ seq: n, filler }),
      });
      answeredAt.set(n, performance.now());
      await response.text();
      await new Promise((resolve) => setTimeout(resolve, SPACING_MS));
    }
    return p99(await latenciesOf(clients, answeredAt, EVENTS));
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function fanout() {
  const measured = await podium();
  // The baseline broadcasts a payload as large as the updates Podium sent.
  const baseline = await bare(measured.payloadBytes);
  return { bench: 'fanout', value: measured.p99, unit: 'ms p99 (lower is better)', baseline };
}
