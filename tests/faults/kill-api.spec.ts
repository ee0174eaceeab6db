import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ContestEvent } from '@podium/contest-model';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  Api,
  expectedStandings,
  generateEvents,
  launchContest,
  lcg,
  liveContestFile,
  postUntilAcknowledged,
  storedLog,
  type RetryLog,
} from './harness.js';

const EVENTS = 20_000;
const CLIENTS = 8;
/** The API is killed once this many events have been acknowledged. */
const KILL_AFTER = 6_000;
/**
 * The test's limit, sized to its work rather than to a machine: 10 ms an event (tens of times
 * what ingestion takes on an idle machine) plus the restart's own limit of 120 s.
 */
const LIMIT_MS = EVENTS * 10 + 120_000;

/**
 * `kill -9` of the API while 8 clients ingest 20,000 events, retrying with the same keys whatever
 * went wrong. After the restart every acknowledged event is stored exactly once, the contest's
 * sequence is gap-free, and the standings rebuilt from the log equal `evaluate` of it.
 */
describe('kill -9 of the API during ingestion', () => {
  let database: TestDatabase;
  let api: Api;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await Api.create(database.url);
    await api.start();
  });

  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it(
    'keeps every acknowledged event exactly once, and the standings equal evaluate',
    async () => {
      const file = liveContestFile(60);
      let token = await api.login();
      const contestId = await launchContest(api, token, file);
      const all = generateEvents(file, EVENTS, 9);
      const logs: RetryLog[] = [];
      let acknowledged = 0;
      let killed: Promise<void> | null = null;

      const restart = async () => {
        await api.kill();
        await api.start();
      };

      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const share = all.filter((_, index) => index % CLIENTS === client);
          const random = lcg(100 + client);
          const log: RetryLog = { statuses: [], acknowledged: [] };
          logs.push(log);
          for (let offset = 0; offset < share.length;) {
            // Half the clients send batches of up to 200, the other half single events and
            // small batches.
            const size =
              client % 2 === 0 ? 1 + Math.floor(random() * 200) : 1 + Math.floor(random() * 5);
            const chunk: ContestEvent[] = share.slice(offset, offset + size);
            await postUntilAcknowledged(api, token, chunk, log);
            offset += size;
            acknowledged += chunk.length;
            if (acknowledged >= KILL_AFTER && killed === null) killed = restart();
            // Now and then the same request again, as a client that lost the answer.
            if (random() < 0.05) await postUntilAcknowledged(api, token, chunk, log);
          }
        }),
      );
      expect(killed).not.toBeNull();
      await killed;

      // Some requests were cut by the kill: the clients saw network errors and retried.
      const failures = logs.flatMap((log) => log.statuses).filter((status) => status === 0);
      expect(failures.length).toBeGreaterThan(0);
      expect(logs.flatMap((log) => log.statuses).filter((status) => status >= 500)).toEqual([]);

      const stored = await storedLog(database.url, contestId);
      expect(stored.events).toBe(EVENTS);
      expect(stored.distinctKeys).toBe(EVENTS);
      expect(stored.links).toBe(EVENTS);
      expect(stored.maxSeq).toBe(EVENTS);
      const keys = new Set(stored.payloads.map((event) => `${event.source}/${event.externalId}`));
      for (const event of all) expect(keys.has(`${event.source}/${event.externalId}`)).toBe(true);

      // The restarted process rebuilt the standings from the log, then kept counting.
      token = await api.login();
      const live = await api.standings(token, contestId);
      const expected = expectedStandings(file, all);
      expect(live.seq).toBe(EVENTS);
      expect(live.fundMinor).toBe(expected.fundMinor);
      expect(live.standings).toEqual(expected.standings);
    },
    LIMIT_MS,
  );
});
