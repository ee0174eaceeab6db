// What the fault suites share: the built API as a child process on a fixed port (so a restarted
// process is found where clients left it), a live contest whose period holds "now", generated
// events, and clients that retry with the same keys until the server acknowledges.
import {
  evaluate,
  parseContestFile,
  type ContestEvent,
  type ContestFile,
  type ContestFileInput,
  type StandingRow,
} from '@podium/contest-model';
import pg from 'pg';
import { ApiProcess, freePort, waitForHealthy } from '../support/process.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

export const ADMIN = { email: 'faults@podium.local', password: 'fault-tests-password' } as const;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small deterministic generator, so a failure can be replayed. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The API on `port` and `databaseUrl`; `start()` again after a kill gives a new process. */
export class Api {
  process: ApiProcess | null = null;
  readonly base: string;
  /** Extra environment of the next `start()` (a fake service's address, a feature's switch). */
  env: Record<string, string> = {};

  constructor(
    readonly port: number,
    readonly databaseUrl: string,
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  static async create(databaseUrl: string): Promise<Api> {
    return new Api(await freePort(), databaseUrl);
  }

  async start(timeoutMs = 120_000): Promise<void> {
    this.process = new ApiProcess({
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATABASE_URL: this.databaseUrl,
      PODIUM_DEMO: 'false',
      PODIUM_ADMIN_EMAIL: ADMIN.email,
      PODIUM_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      ...this.env,
    });
    await waitForHealthy(`${this.base}/api/health`, this.process, timeoutMs);
  }

  /** `kill -9`: no shutdown hook runs, open transactions are cut. */
  async kill(): Promise<void> {
    await this.process?.stop('SIGKILL');
    this.process = null;
  }

  async stop(): Promise<void> {
    await this.process?.stop('SIGTERM');
    this.process = null;
  }

  /**
   * How the API process ended when it was not stopped by the test (a crash), with the end of what
   * it printed; null while it runs. A request refused because of that is a failure to report as
   * such, not a network error to retry.
   */
  crashReport(): string | null {
    const child = this.process?.child;
    if (child === undefined || (child.exitCode === null && child.signalCode === null)) return null;
    const printed = `${this.process?.stderr ?? ''}${this.process?.stdout ?? ''}`;
    return `the API exited (code ${child.exitCode}, signal ${child.signalCode}): ${printed.slice(-4_000)}`;
  }

  /** `fetch` of a route, failing with the API's crash report when its process has ended. */
  async fetch(route: string): Promise<Response> {
    try {
      return await fetch(`${this.base}${route}`);
    } catch (error) {
      const crash = this.crashReport();
      throw crash === null ? error : new Error(crash);
    }
  }

  async login(): Promise<string> {
    const response = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    if (response.status !== 200) throw new Error(`login: ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  }

  request(method: string, route: string, token: string, body?: unknown): Promise<Response> {
    return fetch(`${this.base}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async standings(
    token: string,
    contestId: string,
  ): Promise<{ seq: number; fundMinor: number; standings: unknown[] }> {
    const response = await this.request('GET', `/api/contests/${contestId}/standings`, token);
    if (response.status !== 200) throw new Error(`standings: ${response.status}`);
    return (await response.json()) as { seq: number; fundMinor: number; standings: unknown[] };
  }
}

/** A contest of `participants` sellers whose period started yesterday and runs a month. */
export function liveContestFile(participants: number, prefix = 'p'): ContestFile {
  const day = 86_400_000;
  const input: ContestFileInput = {
    name: 'Faults',
    period: {
      start: new Date(Date.now() - day).toISOString().slice(0, 10),
      end: new Date(Date.now() + 30 * day).toISOString().slice(0, 10),
    },
    funding: { fundShare: 0.3, mode: 'unlockInOrder' },
    prizes: [
      { place: 1, title: 'Trip', costMinor: 5_000_000 },
      { place: 2, title: 'Phone', costMinor: 2_000_000 },
      { place: 3, title: 'Dinner', costMinor: 500_000 },
    ],
    criteria: [
      { metric: 'turnover', basis: 'percentOfPlan', weight: 1, cap: 300 },
      { metric: 'newClients', basis: 'absolute', unit: 1, weight: 5 },
    ],
    participants: Array.from({ length: participants }, (_, index) => ({
      id: `${prefix}${index + 1}`,
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

/** Creates and launches the contest; answers its id. */
export async function launchContest(api: Api, token: string, file: ContestFile): Promise<string> {
  const created = await api.request('POST', '/api/contests', token, file);
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const launched = await api.request('POST', `/api/contests/${id}/launch`, token, LAUNCH_PAST_GATE);
  if (launched.status !== 200) throw new Error(`launch: ${launched.status}`);
  return id;
}

/** `count` sales, leads and reversals of the file's participants, all inside its period. */
export function generateEvents(
  file: ContestFile,
  count: number,
  seed: number,
  source = 'crm',
): ContestEvent[] {
  const random = lcg(seed);
  const ids = file.participants.map((participant) => participant.id);
  const at = new Date(Date.parse(`${file.period.start}T00:00:00Z`) + 3_600_000).toISOString();
  const list: ContestEvent[] = [];
  const sales: ContestEvent[] = [];
  while (list.length < count) {
    const participantId = ids[Math.floor(random() * ids.length)] as string;
    const n = list.length;
    const roll = random();
    if (roll < 0.7 || sales.length === 0) {
      const amountMinor = 100_000 + Math.floor(random() * 2_000_000);
      const sale: ContestEvent = {
        type: 'sale',
        source,
        externalId: `s-${seed}-${n}`,
        participantId,
        occurredAt: at,
        amountMinor,
        marginMinor: Math.round(amountMinor * 0.2),
        clientId: `client-${Math.floor(random() * 500)}`,
        isNewClient: random() < 0.2,
        quantity: 1,
      };
      list.push(sale);
      sales.push(sale);
    } else if (roll < 0.93) {
      list.push({
        type: 'lead',
        source,
        externalId: `l-${seed}-${n}`,
        participantId,
        occurredAt: at,
      });
    } else {
      const target = sales[Math.floor(random() * sales.length)] as ContestEvent;
      list.push({
        type: 'reversal',
        source,
        externalId: `r-${seed}-${n}`,
        participantId: target.participantId,
        occurredAt: at,
        reversesExternalId: target.externalId,
      });
    }
  }
  return list;
}

export interface RetryLog {
  /** Every status answered (0 for a network error), in order. */
  readonly statuses: number[];
  /** Events whose request was answered 200/201. */
  readonly acknowledged: ContestEvent[];
}

/**
 * Posts `chunk` (one event when it has one item) until the server answers 200 or 201, retrying
 * the same keys after a network error or a 5xx, as a CRM that lost the answer does. Any other
 * answer is a test failure.
 */
export async function postUntilAcknowledged(
  api: Api,
  token: string,
  chunk: readonly ContestEvent[],
  log: RetryLog,
  { deadlineMs = 120_000 } = {},
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt += 1) {
    let status: number;
    let text = '';
    try {
      const response = await api.request(
        'POST',
        '/api/events',
        token,
        chunk.length === 1 ? chunk[0] : chunk,
      );
      status = response.status;
      text = await response.text();
    } catch {
      const crash = api.crashReport();
      if (crash !== null) throw new Error(crash);
      status = 0;
    }
    log.statuses.push(status);
    if (status === 200 || status === 201) {
      log.acknowledged.push(...chunk);
      return;
    }
    if (status !== 0 && status < 500) throw new Error(`POST /api/events: ${status} ${text}`);
    if (Date.now() > deadline) throw new Error(`POST /api/events never acknowledged (${status})`);
    await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)));
  }
}

/** Rows of the log straight from PostgreSQL: what was stored, whatever the API says. */
export async function storedLog(
  databaseUrl: string,
  contestId: string,
): Promise<{
  events: number;
  distinctKeys: number;
  links: number;
  maxSeq: number;
  payloads: ContestEvent[];
}> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counts = await client.query<{ events: string; keys: string }>(
      'SELECT count(*) AS events, count(DISTINCT (source, external_id)) AS keys FROM events',
    );
    const links = await client.query<{ links: string; max: string | null }>(
      'SELECT count(*) AS links, max(seq) AS max FROM contest_events WHERE contest_id = $1',
      [contestId],
    );
    const payloads = await client.query<{ payload: ContestEvent }>(
      'SELECT payload FROM events ORDER BY id',
    );
    return {
      events: Number(counts.rows[0]?.events),
      distinctKeys: Number(counts.rows[0]?.keys),
      links: Number(links.rows[0]?.links),
      maxSeq: Number(links.rows[0]?.max ?? 0),
      payloads: payloads.rows.map((row) => row.payload),
    };
  } finally {
    await client.end();
  }
}

/** `evaluate` of the file with these events: what the live standings must equal. */
export function expectedStandings(
  file: ContestFile,
  events: readonly ContestEvent[],
): { fundMinor: number; standings: StandingRow[] } {
  const result = evaluate({ ...file, events: [...events] });
  return { fundMinor: result.fundMinor, standings: result.standings };
}
