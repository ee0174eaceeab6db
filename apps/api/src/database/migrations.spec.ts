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
