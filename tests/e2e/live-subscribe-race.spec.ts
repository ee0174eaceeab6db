import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  parseContestFile,
  type ContestFileInput,
  type LiveSnapshot,
  type LiveView,
} from '@podium/contest-model';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectLive, subscribeWith, type LiveClient } from '../support/live.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const PARTICIPANTS = 10_000;

const file: ContestFileInput = {
  name: 'Subscribe race',
  period: { start: '2026-06-01', end: '2026-07-01' },
  funding: { fundShare: 0.4, mode: 'unlockInOrder' },
  prizes: [{ place: 1, title: 'Trip', costMinor: 1_000_000 }],
  criteria: [{ metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 }],
  participants: Array.from({ length: PARTICIPANTS }, (_, index) => ({
    id: `r${index + 1}`,
    name: `Seller ${index + 1}`,
    plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
  })),
};

/** What one client saw: the updates before its snapshot arrived, the snapshot, the ones after. */
interface Seen {
  readonly before: LiveView[];
  snapshot: LiveSnapshot | null;
  readonly after: LiveView[];
}

/**
 * The seq chain a client relies on (DESIGN §6): no update of the contest reaches a socket before
 * its snapshot, and from the snapshot on, each update newer than what the client has continues it
 * (`fromSeq` at most the client's seq). Answers the problems, none when it holds.
 */
function gapsOf(seen: Seen): string[] {
  const snapshot = seen.snapshot as LiveSnapshot;
  const problems = seen.before.map(
    (update) => `update ${update.seq} arrived before snapshot ${snapshot.seq}`,
  );
  let floor = snapshot.seq;
  for (const update of seen.after) {
    if (update.seq <= floor) continue; // older than what it has: ignored
    if (update.fromSeq === undefined || update.fromSeq > floor)
      problems.push(`had ${floor}, got ${update.fromSeq}→${update.seq} (snapshot ${snapshot.seq})`);
    floor = update.seq;
  }
  return problems;
}

/**
 * A contest of 10,000 participants (the size DESIGN §10 plans for). Subscribing while events
 * stream in never leaves a gap between a client's snapshot and the
 * updates that follow: real socket.io clients subscribe round after round, at random moments of
 * the coalescing window, while events are posted one by one without pause; none resubscribes.
 */
describe('/live subscribe while events stream in', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let contestId: string;
  let posting = true;
  let posted = 0;
  let poster: Promise<void> = Promise.resolve();

  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(`${sut.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(
      database.url,
      { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password },
      { clock: new ManualClock(new Date('2026-06-15T12:00:00Z')) },
    );
    token = await login(sut.url);
    const parsed = parseContestFile(file);
    if (!parsed.success) throw new Error('bad fixture');
    contestId = (await api('POST', '/api/contests', parsed.data)).body.id as string;
    await api('POST', `/api/contests/${contestId}/launch`, LAUNCH_PAST_GATE);
    poster = (async () => {
      while (posting) {
        posted += 1;
        const answer = await api('POST', '/api/events', {
          type: 'sale',
          source: 'crm',
          externalId: `race-${posted}`,
          participantId: `r${1 + ((posted * 7) % PARTICIPANTS)}`,
          occurredAt: '2026-06-10T10:00:00Z',
          amountMinor: 10_000 + ((posted * 37) % 500) * 1_000,
          marginMinor: 3_000,
        });
        if (answer.status >= 300) throw new Error(`posting failed: ${JSON.stringify(answer)}`);
      }
    })();
  });

  afterAll(async () => {
    posting = false;
    await poster.catch(() => undefined);
    await sut.close();
    await database.drop();
  });

  it('gives 240 clients in 30 rounds a snapshot that the updates continue without a gap', async () => {
    const problems: string[] = [];
    let checkedUpdates = 0;
    for (let round = 0; round < 30; round += 1) {
      const sockets: LiveClient[] = await Promise.all(
        Array.from({ length: 8 }, () => connectLive(sut.url, token)),
      );
      const seen = await Promise.all(
        sockets.map(async (socket) => {
          const record: Seen = { before: [], snapshot: null, after: [] };
          // Three updates newer than the snapshot: the chain has been followed past the joint.
          let reached: () => void = () => undefined;
          const far = new Promise<void>((resolve) => (reached = resolve));
          socket.on('standings', (view) => {
            if (record.snapshot === null) {
              record.before.push(view);
              return;
            }
            record.after.push(view);
            if (record.after.filter((u) => u.seq > (record.snapshot?.seq ?? 0)).length >= 3)
              reached();
          });
          // At a random moment of the 100 ms coalescing window.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
          // Taken in the ack callback, as a client must: updates right behind it follow it.
          const ack = await subscribeWith(socket, { contestId }, (answer) => {
            if (answer.ok) record.snapshot = answer.snapshot;
          });
          if (!ack.ok) throw new Error(ack.error);
          // Events keep coming while the poster runs, so the updates come; if posting fails,
          // its error ends the wait. No clock: a busy machine only makes them come later.
          await Promise.race([
            far,
            poster.then(() => Promise.reject(new Error('posting stopped'))),
          ]);
          socket.disconnect();
          return record;
        }),
      );
      for (const record of seen) {
        problems.push(...gapsOf(record));
        checkedUpdates += record.before.length + record.after.length;
      }
    }
    expect(problems).toEqual([]);
    // Events kept coming the whole time: every client followed at least three past its snapshot.
    expect(checkedUpdates).toBeGreaterThanOrEqual(240 * 3);
  }, 600_000);

  it('answers 500 clients subscribing at once, each with a snapshot, on the API pool', async () => {
    const sockets: LiveClient[] = [];
    // Connected ten at a time (each handshake resolves its token); then all subscribe at once.
    for (let start = 0; start < 500; start += 10)
      sockets.push(
        ...(await Promise.all(Array.from({ length: 10 }, () => connectLive(sut.url, token)))),
      );
    try {
      const acks = await Promise.all(
        // No deadline per answer: 500 at once take what the machine gives them, within the test's.
        sockets.map((socket) => socket.emitWithAck('subscribe', { contestId })),
      );
      const failed = acks.filter((ack) => !ack.ok);
      expect(failed).toEqual([]);
      for (const ack of acks) {
        if (!ack.ok) continue;
        expect(ack.snapshot).toMatchObject({
          contestId,
          state: 'live',
          participants: PARTICIPANTS,
        });
        expect(ack.snapshot.top).toHaveLength(20);
      }
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  }, 600_000);
});
