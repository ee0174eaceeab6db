import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { liveContestFile } from './harness.js';

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

interface Counts {
  events: number;
  contests: number;
  participants: number;
  contestEvents: number;
}

/**
 * 10,000 malformed requests (fast-check) to the events and contest endpoints: arbitrary JSON,
 * wrong types, huge numbers, strings with NUL, deep nesting, wrong content types, truncated
 * bodies. No answer is a 5xx, and nothing is written except by the requests answered 2xx (a
 * mutation may happen to be valid), which are accounted for.
 */
describe('malformed payloads', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let db: pg.Client;
  let draftId: string;
  const createdEvents = new Set<number>();
  const createdContests = new Set<string>();
  const acceptedParticipants = new Set<string>();
  /** The counts before the first malformed request. */
  let before: Counts;

  async function counts(): Promise<Counts> {
    const result = await db.query<Record<keyof Counts, string>>(
      `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM contests) AS contests,
              (SELECT count(*) FROM participants) AS participants,
              (SELECT count(*) FROM contest_events) AS "contestEvents"`,
    );
    const row = result.rows[0] as Record<keyof Counts, string>;
    return {
      events: Number(row.events),
      contests: Number(row.contests),
      participants: Number(row.participants),
      contestEvents: Number(row.contestEvents),
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
      body: '{}',
    });
    before = await counts();
  });

  afterAll(async () => {
    await db.end();
    await sut.close();
    await database.drop();
  });

  /** Notes what a 2xx answer wrote, so the final counts can be checked exactly. */
  async function account(route: string, response: Response, body: string): Promise<void> {
    if (response.status >= 300) {
      await response.arrayBuffer();
      return;
    }
    const answer = (await response.json()) as Record<string, unknown>;
    if (route === '/api/events') {
      const list = Array.isArray(answer.events) ? (answer.events as { id: number }[]) : [answer];
      for (const event of list) createdEvents.add(Number(event.id));
    } else {
      if (route === '/api/contests') createdContests.add(String(answer.id));
      const file = JSON.parse(body) as { participants: { id: string }[] };
      for (const participant of file.participants) acceptedParticipants.add(participant.id);
    }
  }

  const statuses = new Map<number, number>();
  const note = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
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

  // One test per property, each limited by its own work; the last checks what they all wrote.
  it(
    'answers malformed events below 500',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          asRequests(fc.oneof(mutate(validEvent), fc.jsonValue({ maxDepth: 4 }))),
          async (request) => {
            const response = await send('POST', '/api/events', request);
            note(response.status);
            await account('/api/events', response, request.body);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers malformed event batches below 500',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          asRequests(
            fc.array(fc.oneof(fc.constant(validEvent), mutate(validEvent), nasty), {
              minLength: 0,
              maxLength: 30,
            }),
          ),
          async (request) => {
            const response = await send('POST', '/api/events', request);
            note(response.status);
            await account('/api/events', response, request.body);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers malformed new contests below 500',
    async () => {
      await fc.assert(
        fc.asyncProperty(asRequests(contestPayload), async (request) => {
          const response = await send('POST', '/api/contests', request);
          note(response.status);
          await account('/api/contests', response, request.body);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers malformed contest replacements below 500',
    async () => {
      await fc.assert(
        fc.asyncProperty(asRequests(contestPayload), async (request) => {
          const response = await send('PUT', `/api/contests/${draftId}`, request);
          note(response.status);
          await account(`/api/contests/${draftId}`, response, request.body);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('wrote nothing of a rejected request', async () => {
    const after = await counts();
    expect(after.events).toBe(before.events + createdEvents.size);
    expect(after.contests).toBe(before.contests + createdContests.size);
    const { rows } = await db.query<{ id: string }>('SELECT id FROM participants');
    const unexplained = rows
      .map((row) => row.id)
      .filter((id) => !acceptedParticipants.has(id) && !/^p\d+$/.test(id));
    expect(unexplained).toEqual([]);
    // Most requests were refused: the generators do produce malformed payloads.
    const refused = [...statuses]
      .filter(([status]) => status >= 400)
      .reduce((n, [, c]) => n + c, 0);
    expect(refused).toBeGreaterThan(RUNS * 3);
  });
});
