// memory: resident memory (VmRSS) of the API process holding a live contest of 10,000
// participants whose log has 1,000,000 events (rebuilt from the log at start), with 2,000 socket.io
// clients subscribed to it — against the same API just started on an empty database, measured in
// the same run. The events are written with SQL (generate_series) into the same tables ingestion
// fills, with the payloads it stores (their hashes are placeholders), to seed a million rows in
// seconds instead of minutes. The note gives the RSS after the rebuild, before the sockets connect.
import fs from 'node:fs/promises';
import pg from 'pg';
import { io } from 'socket.io-client';
import { liveContest, startPodium, startPostgres } from './podium.mjs';

const PARTICIPANTS = 10_000;
const EVENTS = Number(process.env.BENCH_MEMORY_EVENTS ?? 1_000_000);
const SOCKETS = Number(process.env.BENCH_MEMORY_SOCKETS ?? 2_000);
const SUBSCRIBING = 10;

async function rssMegabytes(pid) {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/**
 * 1,000,000 sales (one in ten a lead) of the contest's sellers, 40 ms apart from the start of its
 * period (in time order, as a CRM sends them), linked to it in sequence.
 */
export async function seedLog(url, contestId) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO events (source, external_id, type, participant_id, occurred_at, payload, payload_hash, author)
       SELECT 'bench', 'm-' || g, e.type, 'b' || (g % $2), e.at,
              CASE WHEN e.type = 'lead'
                THEN jsonb_build_object('type', 'lead', 'externalId', 'm-' || g, 'source', 'bench',
                       'participantId', 'b' || (g % $2), 'occurredAt', e.iso)
                ELSE jsonb_build_object('type', 'sale', 'externalId', 'm-' || g, 'source', 'bench',
                       'participantId', 'b' || (g % $2), 'occurredAt', e.iso,
                       'amountMinor', 100000 + (g::bigint * 7919) % 1000000,
                       'marginMinor', (100000 + (g::bigint * 7919) % 1000000) / 5,
                       'clientId', 'c' || (g % 5000), 'isNewClient', g % 11 = 0, 'quantity', 1)
              END,
              md5(g::text), 'bench'
       FROM generate_series(1, $1::int) AS g,
            LATERAL (SELECT CASE WHEN g % 10 = 0 THEN 'lead' ELSE 'sale' END AS type,
                            t.at,
                            to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS iso
                     FROM (SELECT (SELECT period_start FROM contests WHERE id = $3)
                                  + g * interval '40 milliseconds' AS at) AS t) AS e`,
      [EVENTS, PARTICIPANTS, contestId],
    );
    await client.query(
      `INSERT INTO contest_events (contest_id, seq, event_id)
       SELECT $1, row_number() OVER (ORDER BY id), id FROM events WHERE source = 'bench'`,
      [contestId],
    );
    await client.query('UPDATE contests SET last_seq = $2 WHERE id = $1', [contestId, EVENTS]);
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE events');
    await client.query('VACUUM ANALYZE contest_events');
  } finally {
    await client.end();
  }
}

async function subscribeAll(base, token, contestId) {
  const sockets = [];
  for (let index = 0; index < SOCKETS; index += 1) {
    const socket = io(`${base}/live`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token },
    });
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  }
  // A few at a time: each subscribe reads the contest (its file holds the 10,000 participants).
  for (let offset = 0; offset < sockets.length; offset += SUBSCRIBING) {
    await Promise.all(
      sockets.slice(offset, offset + SUBSCRIBING).map(async (socket) => {
        const ack = await socket.timeout(60_000).emitWithAck('subscribe', { contestId });
        if (!ack.ok) throw new Error(`subscribe: ${ack.error}`);
      }),
    );
  }
  return sockets;
}

export async function memory() {
  const database = await startPostgres();
  try {
    // Baseline: the API started on the empty database, settled.
    const empty = await startPodium(database.url);
    let baseline;
    let contestId;
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      baseline = await rssMegabytes(empty.pid);
      contestId = await liveContest(empty, await empty.login(), PARTICIPANTS);
    } finally {
      await empty.stop();
    }
    await seedLog(database.url, contestId);

    // The API rebuilds the contest's standings from the million events as it starts.
    const podium = await startPodium(database.url);
    try {
      const token = await podium.login();
      const { seq } = await podium.json(
        'GET',
        `/api/contests/${contestId}/standings`,
        undefined,
        token,
      );
      if (seq !== EVENTS) throw new Error(`memory: the API holds seq ${seq}, not ${EVENTS}`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const rebuilt = await rssMegabytes(podium.pid);
      const sockets = await subscribeAll(podium.base, token, contestId);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const value = await rssMegabytes(podium.pid);
      for (const socket of sockets) socket.disconnect();
      return {
        bench: 'memory',
        value,
        unit: 'MB RSS (lower is better)',
        baseline,
        note: `${Math.round(rebuilt)} MB after the rebuild, before the ${SOCKETS} sockets`,
      };
    } finally {
      await podium.stop();
    }
  } finally {
    await database.stop();
  }
}
