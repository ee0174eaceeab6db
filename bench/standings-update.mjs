// standings-update: events/s applied to a live contest of 10,000 participants by the projection
// the API keeps for every counting contest (the library's LiveStandings: the participant's
// criteria, points, eligibility, the rank order and the fund, after every event) — against
// pipelined Redis ZINCRBY of the same events (one sorted-set increment of the seller's turnover
// per sale), the usual way to keep a leaderboard, when REDIS_URL is set. Both in memory: the
// projection's figure leaves out reading the log from PostgreSQL, as Redis's leaves out storing it.
import { LiveStandings, parseContestFile } from '../libs/contest-model/dist/index.js';
import { contestFile, sale } from './podium.mjs';

const PARTICIPANTS = 10_000;
const EVENTS = Number(process.env.BENCH_STANDINGS_EVENTS ?? 200_000);
const PIPELINE = 10_000;

function events() {
  return Array.from({ length: EVENTS }, (_, n) => sale(n, PARTICIPANTS));
}

function projection(list) {
  const parsed = parseContestFile(contestFile(PARTICIPANTS));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  const standings = LiveStandings.fromFile(parsed.data);
  // Warm-up on a copy, so the JIT has seen the code before the measured run.
  const warm = LiveStandings.fromFile(parsed.data);
  for (const event of list.slice(0, 20_000)) warm.applyEvent(event);
  const started = performance.now();
  for (const event of list) standings.applyEvent(event);
  const seconds = (performance.now() - started) / 1000;
  if (standings.size !== PARTICIPANTS) throw new Error('the projection lost participants');
  return list.length / seconds;
}

async function redisZincrby(url, list) {
  const { createClient } = await import('redis');
  const client = createClient({ url });
  await client.connect();
  const key = `podium:bench:standings:${process.pid}`;
  try {
    await client.del(key);
    const run = async (slice) => {
      // Commands issued in one tick go out as one pipeline.
      for (let offset = 0; offset < slice.length; offset += PIPELINE) {
        await Promise.all(
          slice
            .slice(offset, offset + PIPELINE)
            .map((event) => client.zIncrBy(key, event.amountMinor, event.participantId)),
        );
      }
    };
    await run(list.slice(0, 20_000));
    await client.del(key);
    const started = performance.now();
    await run(list);
    const seconds = (performance.now() - started) / 1000;
    if ((await client.zCard(key)) !== PARTICIPANTS) throw new Error('Redis lost participants');
    return list.length / seconds;
  } finally {
    await client.del(key);
    await client.quit();
  }
}

export async function standingsUpdate() {
  const list = events();
  const value = projection(list);
  const url = process.env.REDIS_URL;
  if (!url) {
    return {
      bench: 'standings-update',
      value,
      unit: 'events/s',
      baseline: null,
      note: 'baseline skipped: set REDIS_URL to measure pipelined Redis ZINCRBY',
    };
  }
  return {
    bench: 'standings-update',
    value,
    unit: 'events/s',
    baseline: await redisZincrby(url, list),
  };
}
