import pg from 'pg';
import type { AppConfig } from '../../apps/api/src/config/config.js';
import type { TestApp } from './app.js';
import { ManualClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { call, createAdminApp } from './http.js';
import { LAUNCH_PAST_GATE } from './launch-gate.js';

/** A form-encoded body from ordered pairs, as a CRM posts it. */
export function form(fields: readonly (readonly [string, string | number])[]): string {
  return fields
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The API on its own database with a live contest (March 2026) of two sellers scored on margin
 * (one point per 1,000.00 of margin), an admin token, and a clock set to 2026-03-10 — what
 * the CRM webhook tests feed and look at.
 */
export class CrmWorld {
  readonly clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));
  database!: TestDatabase;
  sut!: TestApp;
  token!: string;
  contestId!: string;

  /** `config`: settings of the app beyond the test defaults (a fake portal on 127.0.0.1 …). */
  constructor(readonly config: Partial<AppConfig> = {}) {}

  async start(): Promise<void> {
    this.database = await createTestDatabase();
    ({ sut: this.sut, token: this.token } = await createAdminApp(this.database.url, this.config, {
      clock: this.clock,
    }));
    const created = await this.admin('POST', '/api/contests', {
      name: 'March margin',
      currency: 'RUB',
      period: { start: '2026-03-01', end: '2026-04-01' },
      funding: { fundShare: 0.4, guaranteedMinor: 0, capMinor: null, mode: 'unlockInOrder' },
      prizes: [{ place: 1, title: 'Trip', costMinor: 1_000_000 }],
      criteria: [{ metric: 'margin', basis: 'absolute', unit: 100_000, weight: 1 }],
      participants: [
        {
          id: 'anna',
          name: 'Anna',
          team: 'North',
          role: 'hunter',
          plan: { turnoverMinor: 100_000_00, marginMinor: 20_000_00, newClients: 1 },
        },
        {
          id: 'boris',
          name: 'Boris',
          team: 'North',
          role: 'farmer',
          plan: { turnoverMinor: 100_000_00, marginMinor: 20_000_00, newClients: 1 },
        },
      ],
    });
    if (created.status !== 201) throw new Error(`contest: ${JSON.stringify(created.body)}`);
    this.contestId = created.body.id as string;
    const launched = await this.admin(
      'POST',
      `/api/contests/${this.contestId}/launch`,
      LAUNCH_PAST_GATE,
    );
    if (launched.body.state !== 'live') throw new Error(`launch: ${JSON.stringify(launched)}`);
  }

  async stop(): Promise<void> {
    await this.sut.close();
    await this.database.drop();
  }

  async admin(method: string, path: string, body?: unknown): Promise<Answer> {
    const answer = await call<Answer['body'] | null>(this.sut.url, method, path, {
      token: this.token,
      body,
    });
    return { status: answer.status, body: answer.body ?? {} };
  }

  /** Posts a form-encoded body as a CRM does (no credentials but the URL's). */
  async postForm(url: string, body: string): Promise<Answer> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
  }

  /** Each participant's points in the live standings (`GET /api/contests/:id/standings`). */
  async points(): Promise<Record<string, number>> {
    const answer = await this.admin('GET', `/api/contests/${this.contestId}/standings`);
    const rows = answer.body.standings as { participantId: string; points: number }[];
    return Object.fromEntries(rows.map((row) => [row.participantId, row.points]));
  }

  /**
   * Polls until `check` holds (the worker is asynchronous). No deadline of its own: how long the
   * worker takes depends on the machine, so only the test's time limit ends the wait.
   */
  async eventually<T>(read: () => Promise<T>, check: (value: T) => boolean) {
    let value = await read();
    while (!check(value)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await read();
    }
    return value;
  }

  async rows(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }

  /** Row counts of every table a webhook writes to: unchanged after a refused call. */
  async writes(): Promise<Record<string, number>> {
    const [row] = await this.rows(`SELECT
      (SELECT count(*) FROM events)::int AS events,
      (SELECT count(*) FROM crm_deals)::int AS crm_deals,
      (SELECT count(*) FROM held_deals)::int AS held_deals,
      (SELECT count(*) FROM crm_fetch_jobs)::int AS crm_fetch_jobs`);
    return row as Record<string, number>;
  }
}
