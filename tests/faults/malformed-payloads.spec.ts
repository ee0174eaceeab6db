import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { liveContestFile } from './harness.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

/** Runs per property; four properties make the 10,000 malformed requests. */
const RUNS = Number(process.env.FAULTS_FUZZ_RUNS ?? 2_500);
/**
 * Each property is bounded by its count of runs, not by time; its time limit only catches a
 * server that hangs. A request takes milliseconds, so 250 ms each is generous on a busy machine.
 */
const PROPERTY_TIMEOUT_MS = RUNS * 250;

const validEvent = {
  type: 'sale',
  source: 'fuzz',
  externalId: 'e-1',
  participantId: 'p1',
  occurredAt: new Date().toISOString(),
  amountMinor: 100_000,
  marginMinor: 20_000,
  clientId: 'c1',
  isNewClient: false,
  product: 'X',
  quantity: 1,
};

/** Values that break types and bounds: NUL and lone surrogates, huge and fractional numbers. */
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    '',
    '\u0000',
    'a\u0000b',
    '\ud800',
    ' ',
    '2026-13-45T99:99:99Z',
    'NaN',
    '1e309',
    -1,
    0,
    0.5,
    -0,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 63,
    Number.MAX_SAFE_INTEGER + 2,
    '9'.repeat(400),
    'x'.repeat(100_000),
    [],
    {},
    { __proto__: { polluted: true } },
    JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
    { constructor: { prototype: { polluted: true } } },
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A nested array or object `depth` levels deep, as raw JSON text. */
const deepNesting = fc
  .record({ depth: fc.integer({ min: 50, max: 20_000 }), object: fc.boolean() })
  .map(({ depth, object }) =>
    object
      ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
      : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

/** A valid template with one field replaced, removed or added. */
function mutate(template: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(template);
  return fc.oneof(
    fc
      .record({ key: fc.constantFrom(...keys), value: nasty })
      .map(({ key, value }) => ({ ...template, [key]: value })),
    fc
      .constantFrom(...keys)
      .map((key) => Object.fromEntries(Object.entries(template).filter(([name]) => name !== key))),
    fc
      .record({ key: fc.string({ maxLength: 20 }), value: nasty })
      .map(({ key, value }) => ({ ...template, [key]: value })),
  );
}

/** How a body reaches the server: JSON, or raw text under an honest or a lying content type. */
interface Request {
  readonly body: string;
  readonly contentType: string | null;
}

function asRequests(payload: fc.Arbitrary<unknown>): fc.Arbitrary<Request> {
  const json = payload.map((value) => JSON.stringify(value) ?? 'null');
  return fc.oneof(
    { weight: 6, arbitrary: json.map((body) => ({ body, contentType: 'application/json' })) },
    // Truncated JSON.
    {
      weight: 2,
      arbitrary: fc
        .record({ body: json, cut: fc.double({ min: 0, max: 1, noNaN: true }) })
        .map(({ body, cut }) => ({
          body: body.slice(0, Math.floor(body.length * cut)),
          contentType: 'application/json',
        })),
    },
    {
      weight: 1,
      arbitrary: deepNesting.map((body) => ({ body, contentType: 'application/json' })),
    },
    // The right body under a wrong content type, or none.
    {
      weight: 1,
      arbitrary: fc.record({
        body: json,
        contentType: fc.constantFrom(
          null,
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/octet-stream',
          'image/png',
          'text/csv',
        ),
      }),
    },
    // Arbitrary bytes.
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'binary', maxLength: 200 })
        .map((body) => ({ body, contentType: 'application/json' })),
    },
  );
}

/** What the database holds that a request can write, as sorted keys. */
interface Snapshot {
  events: string[];
  contests: string[];
  participants: string[];
  /** `contestId seq` of every event counted in a contest. */
  links: string[];
  /** `contestId participantId` of every contest's participant. */
  members: string[];
}

/** What the requests answered 2xx say they wrote, to be found exactly in the database. */
interface Ledger {
  events: Set<string>;
  contests: Set<string>;
  participants: Set<string>;
  links: Set<string>;
  /** The participants each created or replaced contest has, by its latest accepted file. */
  members: Map<string, string[]>;
  statuses: Map<number, number>;
}

const newLedger = (): Ledger => ({
  events: new Set(),
  contests: new Set(),
  participants: new Set(),
  links: new Set(),
  members: new Map(),
  statuses: new Map(),
});

/**
 * 10,000 malformed requests (fast-check) to the events and contest endpoints: arbitrary JSON,
 * wrong types, huge numbers, strings with NUL, deep nesting, wrong content types, truncated
 * bodies. No answer is a 5xx, and each property checks that the database changed by exactly what
 * its requests answered 2xx wrote (a mutation may happen to be valid): every row of the tables a
 * request can write is compared, so each test stands alone.
 */
describe('malformed payloads', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let db: pg.Client;
  let draftId: string;

  async function column(sql: string): Promise<string[]> {
    const result = await db.query<{ key: string }>(sql);
    return result.rows.map((row) => String(row.key)).sort();
  }

  async function snapshot(): Promise<Snapshot> {
    return {
      events: await column('SELECT id AS key FROM events'),
      contests: await column('SELECT id AS key FROM contests'),
      participants: await column('SELECT id AS key FROM participants'),
      links: await column(`SELECT contest_id || ' ' || seq AS key FROM contest_events`),
      members: await column(
        `SELECT contest_id || ' ' || participant_id AS key FROM contest_participants`,
      ),
    };
  }

  async function send(method: string, route: string, request: Request): Promise<Response> {
    const response = await fetch(`${sut.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.contentType === null ? {} : { 'content-type': request.contentType }),
      },
      body: request.body,
    });
    if (response.status >= 500) {
      throw new Error(
        `${method} ${route} answered ${response.status} ${await response.text()} to ${request.contentType}: ${request.body.slice(0, 300)}`,
      );
    }
    return response;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
    });
    token = await login(sut.url);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const file = liveContestFile(5);
    const created = await fetch(`${sut.url}/api/contests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    draftId = ((await created.json()) as { id: string }).id;
    const live = await fetch(`${sut.url}/api/contests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...file, name: 'Live' }),
    });
    const liveId = ((await live.json()) as { id: string }).id;
    await fetch(`${sut.url}/api/contests/${liveId}/launch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(LAUNCH_PAST_GATE),
    });
  });

  afterAll(async () => {
    await db.end();
    await sut.close();
    await database.drop();
  });

  /** Notes the status, and what a 2xx answer wrote. */
  async function account(
    ledger: Ledger,
    route: string,
    response: Response,
    body: string,
  ): Promise<void> {
    ledger.statuses.set(response.status, (ledger.statuses.get(response.status) ?? 0) + 1);
    if (response.status >= 300) {
      await response.arrayBuffer();
      return;
    }
    const answer = (await response.json()) as Record<string, unknown>;
    if (route === '/api/events') {
      type Stored = { id: number; contests: { contestId: string; seq: number }[] };
      const list = Array.isArray(answer.events) ? (answer.events as Stored[]) : [answer as Stored];
      for (const event of list) {
        ledger.events.add(String(event.id));
        for (const link of event.contests) ledger.links.add(`${link.contestId} ${link.seq}`);
      }
    } else {
      const contestId = route === '/api/contests' ? String(answer.id) : draftId;
      if (route === '/api/contests') ledger.contests.add(contestId);
      const file = JSON.parse(body) as { participants: { id: string }[] };
      const ids = file.participants.map((participant) => participant.id);
      for (const id of ids) ledger.participants.add(id);
      ledger.members.set(contestId, ids);
    }
  }

  /** The rows now are the rows before plus exactly what the ledger says was written. */
  async function expectOnlyAccountedWrites(before: Snapshot, ledger: Ledger): Promise<void> {
    const after = await snapshot();
    const added = (now: string[], then: string[]) => {
      const known = new Set(then);
      return now.filter((key) => !known.has(key));
    };
    const fresh = (written: Set<string>, then: string[]) => added([...written].sort(), then);
    // Rows are only ever added: nothing of before is gone.
    for (const table of ['events', 'contests', 'participants', 'links'] as const) {
      expect(added(before[table], after[table])).toEqual([]);
    }
    expect(added(after.events, before.events)).toEqual(fresh(ledger.events, before.events));
    expect(added(after.contests, before.contests)).toEqual(fresh(ledger.contests, before.contests));
    expect(added(after.participants, before.participants)).toEqual(
      fresh(ledger.participants, before.participants),
    );
    expect(added(after.links, before.links)).toEqual(fresh(ledger.links, before.links));
    // A contest's participants are those of its latest accepted file, the others' are untouched.
    const members = before.members.filter((key) => !ledger.members.has(key.split(' ')[0] ?? ''));
    for (const [contestId, ids] of ledger.members) {
      members.push(...ids.map((id) => `${contestId} ${id}`));
    }
    expect(after.members).toEqual([...new Set(members)].sort());
  }

  /** Most requests were refused: the generators do produce malformed payloads. */
  function expectMostRefused(ledger: Ledger): void {
    const refused = [...ledger.statuses]
      .filter(([status]) => status >= 400)
      .reduce((n, [, c]) => n + c, 0);
    expect(refused).toBeGreaterThan(RUNS / 2);
  }

  /** Sends `RUNS` generated requests to `route` and checks what they wrote. */
  async function fuzz(method: string, route: string, requests: fc.Arbitrary<Request>) {
    const before = await snapshot();
    const ledger = newLedger();
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const response = await send(method, route, request);
        await account(ledger, route, response, request.body);
      }),
      { numRuns: RUNS },
    );
    await expectOnlyAccountedWrites(before, ledger);
    expectMostRefused(ledger);
  }

  const contestTemplate = liveContestFile(3) as unknown as Record<string, unknown>;
  const participantTemplate = (
    contestTemplate.participants as Record<string, unknown>[]
  )[0] as Record<string, unknown>;
  const contestPayload = fc.oneof(
    mutate(contestTemplate),
    mutate(participantTemplate).map((participant) => ({
      ...contestTemplate,
      participants: [participant],
    })),
    fc.jsonValue({ maxDepth: 4 }),
  );

  // One test per property, each limited by its own work and checking its own writes.
  it(
    'answers malformed events below 500 and writes only the valid ones',
    () =>
      fuzz(
        'POST',
        '/api/events',
        asRequests(fc.oneof(mutate(validEvent), fc.jsonValue({ maxDepth: 4 }))),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers malformed event batches below 500 and writes only the valid ones',
    () =>
      fuzz(
        'POST',
        '/api/events',
        asRequests(
          fc.array(fc.oneof(fc.constant(validEvent), mutate(validEvent), nasty), {
            minLength: 0,
            maxLength: 30,
          }),
        ),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers malformed new contests below 500 and writes only the valid ones',
    () => fuzz('POST', '/api/contests', asRequests(contestPayload)),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers malformed contest replacements below 500 and writes only the valid ones',
    () => fuzz('PUT', `/api/contests/${draftId}`, asRequests(contestPayload)),
    PROPERTY_TIMEOUT_MS,
  );
});
