import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONTEST_STATES } from '@podium/contest-model';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { migrate, migrations } from './data-source.js';

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
});
