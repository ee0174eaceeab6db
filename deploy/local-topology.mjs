// The docker-compose topology without Docker, on this machine: two built API processes (ports
// 3001 and 3002, demo mode on both) on one PostgreSQL and Redis, behind nginx with
// deploy/nginx.conf (upstreams rewritten to 127.0.0.1, listening on 8080). Checks that the demo
// is seeded once, that one deal generator runs, and that socket.io clients through nginx
// (websocket and long-polling) get the updates of events posted to either process.
//
//   npm run build && node deploy/local-topology.mjs
//   PODIUM_SERVER_URL=postgres://postgres@127.0.0.1:5432/postgres  REDIS_URL=redis://127.0.0.1:6379
//
// It creates (and drops first) the database `podium_topology` on that server; needs `nginx`.
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io } from 'socket.io-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const server = process.env.PODIUM_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dbUrl = Object.assign(new URL(server), { pathname: '/podium_topology' }).toString();
{
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS podium_topology WITH (FORCE)');
  await admin.query('CREATE DATABASE podium_topology');
  await admin.end();
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podium-nginx-'));
const nginxConf = path.join(dir, 'nginx.conf');
fs.writeFileSync(
  nginxConf,
  fs
    .readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8')
    .replaceAll('server api1:3000', 'server 127.0.0.1:3001')
    .replaceAll('server api2:3000', 'server 127.0.0.1:3002')
    .replace('listen 80;', 'listen 8080;')
    .replace('pid /tmp/nginx.pid;', `pid ${dir}/nginx.pid;`)
    .replace('error_log /dev/stderr warn;', `error_log ${dir}/error.log warn;`)
    .replace('access_log /dev/stdout;', `access_log ${dir}/access.log;`),
);
const apis = [];
const started = Date.now();
for (const port of [3001, 3002]) {
  const p = spawn(process.execPath, [path.join(root, 'apps/api/dist/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      // nginx runs on this machine: its X-Forwarded-For is believed, and links name it.
      PODIUM_TRUSTED_PROXIES: '127.0.0.1',
      PODIUM_PUBLIC_URL: 'http://127.0.0.1:8080',
      PODIUM_DEMO: 'true',
      PODIUM_ADMIN_EMAIL: 'ops@podium.local',
      PODIUM_ADMIN_PASSWORD: 'topology-pass',
      LOG_LEVEL: 'info',
    },
  });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  apis.push({ port, p, out: () => out });
}
const healthy = async (url) => {
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
};
await Promise.all(apis.map((api) => healthy(`http://127.0.0.1:${api.port}/api/health`)));
console.log(`both replicas healthy in ${Date.now() - started} ms (demo seeded)`);
execSync(`nginx -t -q -c ${nginxConf} && nginx -c ${nginxConf}`);
await healthy('http://127.0.0.1:8080/api/health');
console.log('nginx answers /api/health on :8080');
const db = new pg.Client({ connectionString: dbUrl });
await db.connect();
const q = async (sql) => (await db.query(sql)).rows;
console.log(
  'demo contests:',
  (await q(`SELECT count(*)::int AS n FROM contests WHERE created_by = 'demo'`))[0].n,
  '| demo users:',
  (await q(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@demo.local'`))[0].n,
);
for (const api of apis)
  console.log(
    `replica ${api.port} log: seeded=${/demo company seeded/.test(api.out())} roomsShared=${/socket.io rooms shared/.test(api.out())}`,
  );
const proxy = 'http://127.0.0.1:8080';
const token = (
  await (
    await fetch(`${proxy}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@podium.local', password: 'topology-pass' }),
    })
  ).json()
).token;
const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const contests = await (await fetch(`${proxy}/api/contests`, { headers: h })).json();
const live = contests.find((c) => c.state === 'live');
const contestId = live.id;
const clients = {};
for (const transport of ['websocket', 'polling']) {
  const s = io(`${proxy}/live`, { transports: [transport], auth: { token } });
  await new Promise((r, j) => {
    s.once('connect', r);
    s.once('connect_error', j);
  });
  const ack = await s.emitWithAck('subscribe', { contestId });
  const seen = { last: ack.snapshot.seq, s, resyncs: [] };
  s.on('standings', (v) => {
    if (v.contestId === contestId) seen.last = Math.max(seen.last, v.seq);
  });
  // As the web app does: after a reconnect (to whichever replica nginx picks), subscribe again.
  s.io.on('reconnect', () => {
    void s.emitWithAck('subscribe', { contestId }).then((again) => {
      seen.last = Math.max(seen.last, again.snapshot.seq);
      seen.resyncs.push(again.snapshot.seq);
    });
  });
  clients[transport] = seen;
  console.log(
    `${transport} client through nginx subscribed to "${live.name}" at seq ${ack.snapshot.seq}`,
  );
}
const participants = await q(
  `SELECT participant_id FROM contest_participants WHERE contest_id = '${contestId}' LIMIT 1`,
);
const lat = { websocket: [], polling: [] };
for (let i = 0; i < 20; i += 1) {
  const port = i % 2 === 0 ? 3001 : 3002;
  const t = performance.now();
  const r = await (
    await fetch(`http://127.0.0.1:${port}/api/events`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({
        type: 'sale',
        source: 'topology',
        externalId: `t-${i}`,
        participantId: participants[0].participant_id,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        amountMinor: 100000,
        marginMinor: 20000,
      }),
    })
  ).json();
  const seq = r.contests.find((c) => c.contestId === contestId).seq;
  for (const transport of ['websocket', 'polling']) {
    while (clients[transport].last < seq && performance.now() - t < 5000) await sleep(2);
    lat[transport].push(Math.round(performance.now() - t));
    if (clients[transport].last < seq) console.log(`MISSED ${transport} seq ${seq}`);
  }
  await sleep(150);
}
for (const t of ['websocket', 'polling']) {
  const v = [...lat[t]].sort((a, b) => a - b);
  console.log(
    `${t}: posted alternately to :3001 and :3002, received through nginx: p50 ${v[10]} ms, max ${v[19]} ms (POST start → standings update)`,
  );
}
const rest = await Promise.all(
  [3001, 3002, 8080].map(
    async (p) =>
      (
        await (
          await fetch(`http://127.0.0.1:${p}/api/contests/${contestId}/standings`, { headers: h })
        ).json()
      ).seq,
  ),
);
console.log('REST seq on :3001, :3002, nginx:', rest.join(', '));

// A replica dies (kill -9): clients through nginx that were on it reconnect to the other one,
// resync, and keep getting updates; nginx sends new requests to the survivor.
apis[0].p.kill('SIGKILL');
await sleep(500);
const failover = performance.now();
const survivorSeq = (
  await (
    await fetch(`http://127.0.0.1:3002/api/events`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({
        type: 'sale',
        source: 'topology',
        externalId: 't-after-kill',
        participantId: participants[0].participant_id,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        amountMinor: 100000,
        marginMinor: 20000,
      }),
    })
  ).json()
).contests.find((c) => c.contestId === contestId).seq;
for (const transport of ['websocket', 'polling']) {
  while (clients[transport].last < survivorSeq && performance.now() - failover < 15_000)
    await sleep(10);
  console.log(
    `after kill -9 of :3001, ${transport} client has seq ${clients[transport].last} of ${survivorSeq}` +
      ` (${clients[transport].resyncs.length} resync(s) at seq ${clients[transport].resyncs.join(', ') || '-'})` +
      ` in ${Math.round(performance.now() - failover)} ms`,
  );
}
const throughProxy = await fetch(`${proxy}/api/contests/${contestId}/standings`, { headers: h });
console.log(
  `nginx with :3001 dead: GET standings ${throughProxy.status}, seq ${(await throughProxy.json()).seq}`,
);
// The deal generator runs in one replica: one session holds its advisory lock.
const gen = await q(
  `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = ${0x706f6402} AND granted`,
);
const before = (await q(`SELECT count(*)::int AS n FROM events WHERE author = 'demo-generator'`))[0]
  .n;
await sleep(20000);
const after = (await q(`SELECT count(*)::int AS n FROM events WHERE author = 'demo-generator'`))[0]
  .n;
console.log(
  `generator lock holders: ${gen[0].n}; generated deals in 20 s: ${after - before} (one generator posts one every 2.5–6.5 s)`,
);
for (const c of Object.values(clients)) c.s.disconnect();
await db.end();
execSync(`nginx -c ${nginxConf} -s stop`);
apis[1].p.kill('SIGTERM');
await sleep(1500);
console.log(`exit code of :3002 after SIGTERM: ${apis[1].p.exitCode}`);
process.exit(0);
