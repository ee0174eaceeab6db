// ingest: events/s through POST /api/events in batches of 500 from 4 concurrent clients, each
// answered only after its commit (durable: synchronous_commit on), into a live contest that counts
// them — against multi-row INSERTs of the same rows into a table identical to `events` (same
// columns, constraints and indexes) through `pg`, 4 connections, same server, same run.
// ingest-single: one event per request from 32 concurrent clients — against single-row
// autocommit INSERTs of the same rows over 32 connections.
import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { liveContest, sale, startPodium, startPostgres } from './podium.mjs';

const EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 100_000);
const BATCH = 500;
const CLIENTS = 4;
const SINGLE_CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const PARTICIPANTS = 1_000;

/** The row Podium stores for an event, for the baseline's INSERTs. */
function rowOf(event) {
  const payload = JSON.stringify(event);
  return [
    event.source,
    event.externalId,
    event.type,
    event.participantId,
    event.occurredAt,
    payload,
    createHash('sha256').update(payload).digest('hex'),
    'bench',
  ];
}

const COLUMNS =
  'source, external_id, type, participant_id, occurred_at, payload, payload_hash, author';

function multiRowInsert(rows) {
  const values = rows.map(
    (_, r) => `(${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(', ')})`,
  );
  return {
    text: `INSERT INTO bench_events (${COLUMNS}) VALUES ${values.join(', ')}`,
    values: rows.flat(),
  };
}

/** A table like `events`: columns, defaults, CHECK and UNIQUE constraints, indexes. */
async function identicalTable(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('DROP TABLE IF EXISTS bench_events');
  await client.query('CREATE TABLE bench_events (LIKE events INCLUDING ALL)');
  await client.end();
}

/** Runs `work(client, index)` on `count` connections at once; answers the seconds it took. */
async function onConnections(url, count, work) {
  const clients = await Promise.all(
    Array.from({ length: count }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const started = performance.now();
  try {
    await Promise.all(clients.map((client, index) => work(client, index)));
    return (performance.now() - started) / 1000;
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

async function podiumBatches(podium, token, events) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const offset = next;
        next += BATCH;
        if (offset >= events.length) return;
        const response = await fetch(`${podium.base}/api/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(events.slice(offset, offset + BATCH)),
        });
        const text = await response.text();
        if (response.status !== 201) throw new Error(`ingest: ${response.status} ${text}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

export async function ingest() {
  const database = await startPostgres();
  const podium = await startPodium(database.url);
  try {
    const token = await podium.login();
    await liveContest(podium, token, PARTICIPANTS);
    await identicalTable(database.url);
    const events = Array.from({ length: EVENTS }, (_, n) => sale(n, PARTICIPANTS));

    // Warm-up: a few batches through both paths, with keys the measured runs do not use.
    const warm = Array.from({ length: 4 * BATCH }, (_, n) => sale(n, PARTICIPANTS, 'warm'));
    await podiumBatches(podium, token, warm);

    const rows = events.map(rowOf);
    let next = 0;
    const baselineSeconds = await onConnections(database.url, CLIENTS, async (client) => {
      for (;;) {
        const offset = next;
        next += BATCH;
        if (offset >= rows.length) return;
        await client.query(multiRowInsert(rows.slice(offset, offset + BATCH)));
      }
    });
    const seconds = await podiumBatches(podium, token, events);
    return {
      bench: 'ingest',
      value: EVENTS / seconds,
      unit: 'events/s',
      baseline: EVENTS / baselineSeconds,
    };
  } finally {
    await podium.stop();
    await database.stop();
  }
}

export async function ingestSingle() {
  const database = await startPostgres();
  const podium = await startPodium(database.url);
  try {
    const token = await podium.login();
    await liveContest(podium, token, PARTICIPANTS);
    await identicalTable(database.url);

    // Baseline: each connection inserts its own rows one by one for the same duration.
    let inserted = 0;
    let sequence = 0;
    let until = 0;
    const baselineSeconds = await onConnections(
      database.url,
      SINGLE_CONNECTIONS,
      async (client) => {
        if (until === 0) until = performance.now() + DURATION_S * 1000;
        while (performance.now() < until) {
          await client.query(
            `INSERT INTO bench_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            rowOf(sale((sequence += 1), PARTICIPANTS, 'single')),
          );
          inserted += 1;
        }
      },
    );

    let n = 0;
    const run = (duration) =>
      autocannon({
        url: `${podium.base}/api/events`,
        connections: SINGLE_CONNECTIONS,
        duration,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify(sale((n += 1), PARTICIPANTS, 'single')),
            }),
          },
        ],
      });
    await run(1);
    const result = await run(DURATION_S);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`ingest-single: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
    return {
      bench: 'ingest-single',
      value: result.requests.average,
      unit: 'events/s',
      baseline: inserted / baselineSeconds,
    };
  } finally {
    await podium.stop();
    await database.stop();
  }
}
