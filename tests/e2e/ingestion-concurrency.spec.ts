import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  evaluate,
  parseContestFile,
  type ContestEvent,
  type ContestFile,
  type ContestFileInput,
} from '@podium/contest-model';
import type { TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { call, createAdminApp, request } from '../support/http.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const PARTICIPANTS = 30;
const EVENTS = 1_000;
const CLIENTS = 8;
/** The posting test's limit, from its work: 120 ms an event, tens of times an idle machine's. */
const POSTING_LIMIT_MS = EVENTS * 120;

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function contestFile(): ContestFile {
  const input: ContestFileInput = {
    name: 'Concurrency',
    period: { start: '2026-05-01', end: '2026-06-01' },
    funding: { fundShare: 0.3, mode: 'unlockInOrder' },
    prizes: [
      { place: 1, title: 'Trip', costMinor: 5_000_000 },
      { place: 2, title: 'Phone', costMinor: 2_000_000 },
      { place: 3, title: 'Dinner', costMinor: 500_000 },
    ],
    criteria: [
      { metric: 'turnover', basis: 'percentOfPlan', weight: 1, cap: 300 },
      { metric: 'newClients', basis: 'absolute', unit: 1, weight: 5 },
      { metric: 'conversion', basis: 'absolute', unit: 10, weight: 1, minLeads: 3 },
    ],
    eligibility: [{ metric: 'turnover', basis: 'percentOfPlan', min: 50 }],
    participants: Array.from({ length: PARTICIPANTS }, (_, index) => ({
      id: `c${index + 1}`,
      name: `Seller ${index + 1}`,
      team: `Team ${(index % 3) + 1}`,
      plan: {
        turnoverMinor: 20_000_000 + index * 500_000,
        marginMinor: 4_000_000 + index * 100_000,
      },
    })),
  };
  const parsed = parseContestFile(input);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

/** 1,000 events: sales, leads, reversals before and after their sale, a few outside the period. */
function events(): ContestEvent[] {
  const random = lcg(20260501);
  const list: ContestEvent[] = [];
  const sales: ContestEvent[] = [];
  while (list.length < EVENTS) {
    const participantId = `c${1 + Math.floor(random() * PARTICIPANTS)}`;
    const day = 1 + Math.floor(random() * 31);
    const occurredAt = `2026-05-${String(Math.min(day, 31)).padStart(2, '0')}T${String(8 + Math.floor(random() * 10)).padStart(2, '0')}:00:00Z`;
    const roll = random();
    const n = list.length;
    if (roll < 0.6) {
      const amountMinor = 100_000 + Math.floor(random() * 2_000_000);
      const sale: ContestEvent = {
        type: 'sale',
        source: 'crm',
        externalId: `s-${n}`,
        participantId,
        occurredAt: random() < 0.03 ? '2026-06-02T10:00:00Z' : occurredAt,
        amountMinor,
        marginMinor: Math.round(amountMinor * 0.2),
        clientId: `client-${Math.floor(random() * 200)}`,
        isNewClient: random() < 0.2,
        quantity: 1,
      };
      list.push(sale);
      sales.push(sale);
    } else if (roll < 0.85) {
      list.push({ type: 'lead', source: 'crm', externalId: `l-${n}`, participantId, occurredAt });
    } else if (sales.length > 0) {
      const target = sales[Math.floor(random() * sales.length)] as ContestEvent;
      list.push({
        type: 'reversal',
        source: 'crm',
        externalId: `r-${n}`,
        participantId: target.participantId,
        occurredAt: '2026-05-31T20:00:00Z',
        reversesExternalId: target.externalId,
      });
    } else {
      // A reversal that arrives before its sale: the sale comes later in the list.
      list.push({
        type: 'reversal',
        source: 'crm',
        externalId: `r-${n}`,
        participantId,
        occurredAt: '2026-05-31T21:00:00Z',
        reversesExternalId: `s-${n + 1}`,
      });
    }
  }
  return list;
}

/**
 * Eight clients post 1,000 events concurrently, in batches and one by one, each retrying some
 * of them (duplicates). The live standings must equal `evaluate` of the same events, and a
 * restart, which rebuilds them from the log, must give the same standings and seq.
 */
describe('concurrent ingestion', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  const clock = new ManualClock(new Date('2026-05-20T12:00:00Z'));
  const file = contestFile();
  const all = events();
  let contestId: string;

  const post = (path: string, body: unknown) => request(sut.url, 'POST', path, { token, body });

  async function standings(): Promise<{ seq: number; fundMinor: number; standings: unknown[] }> {
    const answer = await call<{ seq: number; fundMinor: number; standings: unknown[] }>(
      sut.url,
      'GET',
      `/api/contests/${contestId}/standings`,
      { token },
    );
    return answer.body;
  }

  async function start(): Promise<void> {
    ({ sut, token } = await createAdminApp(database.url, {}, { clock }));
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await start();
    const created = await post('/api/contests', file);
    contestId = ((await created.json()) as { id: string }).id;
    expect((await post(`/api/contests/${contestId}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it(
    'counts every event once, in a gap-free sequence, and equals evaluate',
    async () => {
      const random = lcg(7);
      const shares = Array.from({ length: CLIENTS }, (_, client) =>
        all.filter((_, index) => index % CLIENTS === client),
      );
      await Promise.all(
        shares.map(async (share, client) => {
          for (let offset = 0; offset < share.length;) {
            const size = client % 2 === 0 ? 1 + Math.floor(random() * 40) : 1;
            const chunk = share.slice(offset, offset + size);
            const response = await post('/api/events', size === 1 ? chunk[0] : chunk);
            expect([200, 201]).toContain(response.status);
            // Retry about one request in five with the same keys, as a client that lost the answer.
            if (random() < 0.2) {
              const again = await post('/api/events', size === 1 ? chunk[0] : chunk);
              expect(again.status).toBe(200);
            }
            offset += size;
          }
        }),
      );

      const expected = evaluate({ ...file, events: all });
      const live = await standings();
      const inPeriod = all.filter((event) => event.occurredAt < '2026-06-01').length;
      expect(live.seq).toBe(inPeriod);
      expect(live.fundMinor).toBe(expected.fundMinor);
      expect(live.standings).toEqual(expected.standings);
    },
    POSTING_LIMIT_MS,
  );

  it('rebuilds the same standings and seq from the log after a restart', async () => {
    const before = await standings();
    await sut.close();
    await start();
    const after = await standings();
    expect(after.seq).toBe(before.seq);
    expect(after).toEqual(before);
  });
});
