import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { createTestDatabase } from '../../../../tests/support/database.js';
import { dataSourceOptions } from '../database/data-source.js';
import { isDatabaseUnavailable } from './database-errors.js';

function withCode(code: string, message = 'failed'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it('recognises a PostgreSQL that cannot be reached or is going away', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08003']) {
      expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('looks inside what TypeORM and Node wrap', () => {
    const driverError = withCode('57P01', 'terminating connection due to administrator command');
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], driverError))).toBe(true);
    expect(
      isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')], 'connect failed')),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: withCode('ECONNRESET') }))).toBe(true);
  });

  it('recognises the next query of a transaction whose connection PostgreSQL cut', async () => {
    // The real shapes: PostgreSQL ends the backend while the transaction waits between two
    // queries (as a restart does); node-postgres emits 'error', TypeORM releases the runner, and
    // the transaction's next query throws, without the cause: QueryRunnerProviderAlreadyReleased
    // from the EntityManager, QueryRunnerAlreadyReleased from the runner itself.
    const database = await createTestDatabase({ migrated: false });
    const dataSource = new DataSource(dataSourceOptions(database.url));
    await dataSource.initialize();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const thrown: unknown[] = [];
    try {
      await dataSource
        .transaction(async (manager) => {
          const [row] = (await manager.query('SELECT pg_backend_pid() AS pid')) as {
            pid: number;
          }[];
          await admin.query('SELECT pg_terminate_backend($1)', [row?.pid]);
          const runner = manager.queryRunner;
          if (runner === undefined) throw new Error('a transaction has its runner');
          while (!runner.isReleased) await new Promise((resolve) => setTimeout(resolve, 20));
          await runner.query('SELECT 1').catch((error: unknown) => thrown.push(error));
          await manager.query('SELECT 1');
        })
        .catch((error: unknown) => thrown.push(error));
    } finally {
      await admin.end();
      await dataSource.destroy();
      await database.drop();
    }
    expect(thrown.map((error) => (error as Error).constructor.name)).toEqual([
      'QueryRunnerAlreadyReleasedError',
      'QueryRunnerProviderAlreadyReleasedError',
    ]);
    expect(thrown.map((error) => isDatabaseUnavailable(error))).toEqual([true, true]);
  });

  it('leaves errors of the query itself alone', () => {
    for (const code of ['23505', '23503', '22P02', '40001', '42P01']) {
      expect(isDatabaseUnavailable(new QueryFailedError('q', [], withCode(code)))).toBe(false);
    }
    expect(isDatabaseUnavailable(new Error('unique violation'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
