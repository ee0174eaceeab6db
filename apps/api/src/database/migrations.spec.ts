import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONTEST_STATES, COUNTING_STATES } from '@podium/contest-model';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate, migrations } from './data-source.js';

describe('migrations', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('applies every migration once, in order, and nothing on a second run', async () => {
    // Two processes starting together (two replicas) must not both migrate.
    const [first, second] = await Promise.all([migrate(database.url), migrate(database.url)]);
    expect([...first, ...second]).toEqual(migrations.map((migration) => migration.name));
    await expect(migrate(database.url)).resolves.toEqual([]);
    const rows = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    expect(rows.rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
  });

  it('creates teams and participants with their rules', async () => {
    const team = await client.query<{ id: string }>(
      "INSERT INTO teams (name) VALUES ('North') RETURNING id",
    );
    const teamId = team.rows[0]?.id;
    await client.query(
      "INSERT INTO participants (id, name, team_id, role) VALUES ('p1', 'Anna', $1, 'farmer')",
      [teamId],
    );
    await expect(
      client.query("INSERT INTO participants (id, name, role) VALUES ('p2', 'Boris', 'wizard')"),
    ).rejects.toThrow(/participants_role_known/);
    await expect(client.query("INSERT INTO teams (name) VALUES ('North')")).rejects.toThrow(
      /teams_name_unique/,
    );
  });

  it('keeps contest links from dangling without foreign keys on them', async () => {
    const event = await client.query<{ id: string }>(
      `INSERT INTO events (source, external_id, type, participant_id, occurred_at, payload, payload_hash)
       VALUES ('crm', 'e1', 'lead', 'p1', now(), '{}', 'h') RETURNING id`,
    );
    const contest = await client.query<{ id: string }>(
      `INSERT INTO contests (name, currency, period_start, period_end, rules, created_by)
       VALUES ('C', 'RUB', now(), now() + interval '1 day', '{}', 'test') RETURNING id`,
    );
    const contestId = contest.rows[0]?.id;
    await client.query(
      'INSERT INTO contest_events (contest_id, seq, event_id) VALUES ($1, 1, $2)',
      [contestId, event.rows[0]?.id],
    );
    // Events are append-only, TRUNCATE included: a link's event is always there.
    await expect(client.query('TRUNCATE events CASCADE')).rejects.toThrow(/append-only/);
    // A deleted contest takes its links with it, as the cascade did.
    await client.query('DELETE FROM contests WHERE id = $1', [contestId]);
    const links = await client.query('SELECT 1 FROM contest_events WHERE contest_id = $1', [
      contestId,
    ]);
    expect(links.rowCount).toBe(0);
  });

  it('undoes the latest migration and applies it again', async () => {
    const dataSource = new DataSource(dataSourceOptions(database.url));
    await dataSource.initialize();
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
      const latest = migrations[migrations.length - 1];
      const rows = await client.query<{ name: string }>('SELECT name FROM migrations');
      expect(rows.rows.map((row) => row.name)).not.toContain(latest?.name);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual([latest?.name]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('allows in contests.state exactly the states of the contest-model lifecycle', async () => {
    const constraint = await client.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = 'contests'::regclass AND conname = 'contests_state_known'`,
    );
    const definition = constraint.rows[0]?.definition ?? '';
    // PostgreSQL prints the IN list as ARRAY['draft'::text, ...]: the quoted literals are the states.
    const allowed = [...definition.matchAll(/'([^']*)'/g)].map((match) => match[1]);
    expect(allowed.sort()).toEqual([...CONTEST_STATES].sort());
  });

  it('links events in ingest_events to contests in exactly the counting states of the lifecycle', async () => {
    const definition = await client.query<{ body: string }>(
      "SELECT pg_get_functiondef('ingest_events'::regproc) AS body",
    );
    // The one state list in the function body: the states whose contests count the events.
    const list = /l\.state IN \(([^)]*)\)/.exec(definition.rows[0]?.body ?? '')?.[1] ?? '';
    const counted = [...list.matchAll(/'([^']*)'/g)].map((match) => match[1]);
    expect(counted.sort()).toEqual([...COUNTING_STATES].sort());
  });
});

describe('migration PlansStoredOnce', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  /** Runs the migrations up to, not including, `name`. */
  async function migrateBefore(name: string): Promise<void> {
    const index = migrations.findIndex((migration) => migration.name === name);
    expect(index).toBeGreaterThan(0);
    const dataSource = new DataSource({
      ...dataSourceOptions(database.url),
      migrations: migrations.slice(0, index),
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
  }

  it('keeps every contest plan in the contest file, taking a plan stored only in contest_participants', async () => {
    await migrateBefore('PlansStoredOnce1764290000000');
    await client.query(
      "INSERT INTO participants (id, name, role) VALUES ('a', 'Anna', 'hunter'), ('b', 'Boris', 'farmer')",
    );
    const planA = { turnoverMinor: 500_000, marginMinor: 100_000 };
    const planB = { turnoverMinor: 700_000, marginMinor: 90_000, deals: 4 };
    // A draft whose file holds both plans (as every write made it), and a launched contest whose
    // frozen file lost Boris's plan, which only contest_participants still holds.
    const rules = {
      name: 'Draft',
      participants: [
        { id: 'a', plan: planA },
        { id: 'b', plan: planB },
      ],
    };
    const frozen = { name: 'Live', participants: [{ id: 'a', plan: planA }, { id: 'b' }] };
    const contests = await client.query<{ id: string }>(
      `INSERT INTO contests (name, currency, period_start, period_end, rules, frozen_file, state, created_by)
       VALUES ('Draft', 'RUB', '2026-03-01', '2026-04-01', $1, NULL, 'draft', 'test'),
              ('Live', 'RUB', '2026-03-01', '2026-04-01', $2, $2, 'live', 'test')
       RETURNING id`,
      [JSON.stringify(rules), JSON.stringify(frozen)],
    );
    const [draftId, liveId] = contests.rows.map((row) => row.id);
    for (const contestId of [draftId, liveId]) {
      await client.query(
        `INSERT INTO contest_participants (contest_id, participant_id, plan)
         VALUES ($1, 'a', $2), ($1, 'b', $3)`,
        [contestId, JSON.stringify(planA), JSON.stringify(planB)],
      );
    }

    await expect(migrate(database.url)).resolves.toEqual([
      'PlansStoredOnce1764290000000',
      ...migrations
        .map((migration) => migration.name)
        .slice(
          migrations.findIndex((migration) => migration.name === 'PlansStoredOnce1764290000000') +
            1,
        ),
    ]);

    const after = await client.query<{ id: string; rules: unknown; frozen_file: unknown }>(
      'SELECT id, rules, frozen_file FROM contests ORDER BY name',
    );
    expect(after.rows).toEqual([
      { id: draftId, rules, frozen_file: null },
      {
        id: liveId,
        rules: {
          name: 'Live',
          participants: [
            { id: 'a', plan: planA },
            { id: 'b', plan: planB },
          ],
        },
        frozen_file: {
          name: 'Live',
          participants: [
            { id: 'a', plan: planA },
            { id: 'b', plan: planB },
          ],
        },
      },
    ]);
    // Who each contest counts is still there; the copy of the plans is not.
    const enrolled = await client.query<{ contest_id: string; participant_id: string }>(
      'SELECT contest_id, participant_id FROM contest_participants ORDER BY contest_id, participant_id',
    );
    expect(enrolled.rows).toHaveLength(4);
    const columns = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = 'contest_participants' ORDER BY column_name`,
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(['contest_id', 'participant_id']);
  });

  it('writes the copies back from the contest files when undone', async () => {
    const dataSource = new DataSource(dataSourceOptions(database.url));
    await dataSource.initialize();
    try {
      while (
        (await client.query("SELECT 1 FROM migrations WHERE name = 'PlansStoredOnce1764290000000'"))
          .rowCount
      )
        await dataSource.undoLastMigration({ transaction: 'each' });
      const copies = await client.query<{ name: string; participant_id: string; plan: unknown }>(
        `SELECT c.name, cp.participant_id, cp.plan FROM contest_participants cp
           JOIN contests c ON c.id = cp.contest_id ORDER BY c.name, cp.participant_id`,
      );
      expect(copies.rows.map((row) => [row.name, row.participant_id, row.plan])).toEqual([
        ['Draft', 'a', { turnoverMinor: 500_000, marginMinor: 100_000 }],
        ['Draft', 'b', { turnoverMinor: 700_000, marginMinor: 90_000, deals: 4 }],
        ['Live', 'a', { turnoverMinor: 500_000, marginMinor: 100_000 }],
        ['Live', 'b', { turnoverMinor: 700_000, marginMinor: 90_000, deals: 4 }],
      ]);
    } finally {
      await dataSource.destroy();
    }
  });
});
