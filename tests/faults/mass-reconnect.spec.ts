import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LiveClientEvents, LiveServerEvents, SubscribeAck } from '@podium/contest-model';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  Api,
  generateEvents,
  launchContest,
  liveContestFile,
  postUntilAcknowledged,
  sleep,
  type RetryLog,
} from './harness.js';

const CLIENTS = 500;
/**
 * The work's own limits, not a guess of the machine's speed: a subscription (a snapshot of a
 * 30-seller contest) is given 120 ms each for all 500 in turn, a reconnect waits at most the
 * client's 5 s backoff first, and a start of the API (recovery, migrations) 120 s. How fast
 * screens converge is a performance figure; this test proves that they do.
 */
const SUBSCRIBE_ALL_MS = CLIENTS * 120;
const CONVERGE_MS = 5_000 + SUBSCRIBE_ALL_MS;
const START_MS = 120_000;

/**
 * A screen as the web app runs it: reconnects by itself, subscribes on every connect (the
 * snapshot in the ack is the truth), applies an update only when its `fromSeq` is the seq it has,
 * and resubscribes on a gap.
 */
class Screen {
  seq = -1;
  connects = 0;
  private resyncing = false;
  /** The highest seq of an update that arrived while a resync was under way. */
  private seenWhileResyncing = -1;
  readonly socket: Socket<LiveServerEvents, LiveClientEvents>;

  constructor(
    base: string,
    token: string,
    private readonly contestId: string,
  ) {
    this.socket = io(`${base}/live`, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token },
      // The web app's settings (apps/web/src/lib/socket.ts).
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    this.socket.on('connect', () => {
      this.connects += 1;
      void this.resync();
    });
    this.socket.on('standings', (view) => {
      if (view.contestId !== this.contestId) return;
      if (this.resyncing) {
        this.seenWhileResyncing = Math.max(this.seenWhileResyncing, view.seq);
        return;
      }
      if (view.fromSeq === undefined || view.fromSeq === this.seq) this.seq = view.seq;
      else if (view.seq > this.seq) void this.resync();
    });
  }

  async resync(): Promise<void> {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      for (;;) {
        if (!this.socket.connected) return;
        this.seenWhileResyncing = -1;
        try {
          const ack: SubscribeAck = await this.socket
            .timeout(10_000)
            .emitWithAck('subscribe', { contestId: this.contestId });
          if (ack.ok) {
            this.seq = ack.snapshot.seq;
            // An update newer than the snapshot came meanwhile: the snapshot is already old.
            if (this.seenWhileResyncing <= this.seq) return;
            continue;
          }
        } catch {
          // no answer in time: ask again
        }
        await sleep(200);
      }
    } finally {
      this.resyncing = false;
    }
  }
}

/**
 * 500 subscribed screens are cut off at once by a `kill -9` of the API while events keep
 * flowing. When the restarted API is back, every screen reconnects, resubscribes and ends on the
 * seq the REST API reports.
 */
describe('500 live clients cut off at once', () => {
  let database: TestDatabase;
  let api: Api;
  const screens: Screen[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await Api.create(database.url);
    await api.start(START_MS);
  }, START_MS + 60_000);

  afterAll(async () => {
    for (const screen of screens) screen.socket.disconnect();
    await api.stop();
    await database.drop();
  });

  it(
    'all reconnect and converge on the server seq after the restart',
    async () => {
      const file = liveContestFile(30);
      const token = await api.login();
      const contestId = await launchContest(api, token, file);
      const events = generateEvents(file, 4_000, 21);
      const log: RetryLog = { statuses: [], acknowledged: [] };

      for (let index = 0; index < CLIENTS; index += 1) {
        screens.push(new Screen(api.base, token, contestId));
        if (index % 50 === 49) await sleep(50);
      }
      const deadline = Date.now() + SUBSCRIBE_ALL_MS;
      while (screens.some((screen) => screen.seq < 0) && Date.now() < deadline) await sleep(100);
      expect(screens.filter((screen) => screen.seq < 0)).toHaveLength(0);

      // Events keep coming, in small batches, before, during and after the kill.
      let stop = false;
      let next = 0;
      const producer = (async () => {
        while (!stop && next < events.length) {
          const chunk = events.slice(next, next + 5);
          await postUntilAcknowledged(api, token, chunk, log);
          next += chunk.length;
          await sleep(20);
        }
      })();

      await sleep(1_500);
      await api.kill();
      await sleep(500);
      await api.start(START_MS);
      const back = Date.now();
      // Updates keep flowing for a while after the restart, then stop so a final seq exists.
      await sleep(2_000);
      stop = true;
      await producer;

      const { seq } = await api.standings(token, contestId);
      expect(seq).toBe(next);
      while (screens.some((screen) => screen.seq !== seq) && Date.now() - back < CONVERGE_MS) {
        await sleep(100);
      }
      const behind = screens.filter((screen) => screen.seq !== seq);
      expect(behind.map((screen) => screen.seq)).toEqual([]);
      // Every screen was really cut off and came back.
      expect(screens.filter((screen) => screen.connects < 2)).toHaveLength(0);
      // Jest's own limit: every stage above at its budget, the producer's 4,000 events included.
    },
    SUBSCRIBE_ALL_MS + START_MS + CONVERGE_MS + 4_000 * 10 + 60_000,
  );
});
