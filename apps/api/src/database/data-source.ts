import { DataSource, type DataSourceOptions } from 'typeorm';
import { Init1764190000000 } from './migrations/1764190000000-Init.js';
import { LiveContests1764200000000 } from './migrations/1764200000000-LiveContests.js';
import { Auth1764210000000 } from './migrations/1764210000000-Auth.js';
import { Simulations1764220000000 } from './migrations/1764220000000-Simulations.js';
import { Integrations1764230000000 } from './migrations/1764230000000-Integrations.js';
import { CrmIntegrations1764240000000 } from './migrations/1764240000000-CrmIntegrations.js';
import { Plans1764250000000 } from './migrations/1764250000000-Plans.js';
import { ScaleOut1764260000000 } from './migrations/1764260000000-ScaleOut.js';
import { PersonalLinks1764270000000 } from './migrations/1764270000000-PersonalLinks.js';
import { JobSystem1764280000000 } from './migrations/1764280000000-JobSystem.js';
import { IngestFunction1764281000000 } from './migrations/1764281000000-IngestFunction.js';
import { IngestAllOrNothing1764282000000 } from './migrations/1764282000000-IngestAllOrNothing.js';
import { PlansStoredOnce1764290000000 } from './migrations/1764290000000-PlansStoredOnce.js';
import { IngestJsonCall1764295000000 } from './migrations/1764295000000-IngestJsonCall.js';
import { CrmSync1764300000000 } from './migrations/1764300000000-CrmSync.js';
import { AmocrmApi1764310000000 } from './migrations/1764310000000-AmocrmApi.js';
import { LateCancellations1764320000000 } from './migrations/1764320000000-LateCancellations.js';
import { LaunchGate1764330000000 } from './migrations/1764330000000-LaunchGate.js';
import { DisplaySettings1764340000000 } from './migrations/1764340000000-DisplaySettings.js';
import { Forecasts1764350000000 } from './migrations/1764350000000-Forecasts.js';
import { ContendersSlide1764355000000 } from './migrations/1764355000000-ContendersSlide.js';
import { Notifications1764360000000 } from './migrations/1764360000000-Notifications.js';
import { CrmDealRows1764365000000 } from './migrations/1764365000000-CrmDealRows.js';
import { OnecOdata1764370000000 } from './migrations/1764370000000-OnecOdata.js';

/** Every migration, in order. Listed by hand so the ESM build needs no file globbing. */
export const migrations = [
  Init1764190000000,
  LiveContests1764200000000,
  Auth1764210000000,
  Simulations1764220000000,
  Integrations1764230000000,
  CrmIntegrations1764240000000,
  Plans1764250000000,
  ScaleOut1764260000000,
  PersonalLinks1764270000000,
  JobSystem1764280000000,
  IngestFunction1764281000000,
  IngestAllOrNothing1764282000000,
  PlansStoredOnce1764290000000,
  IngestJsonCall1764295000000,
  CrmSync1764300000000,
  AmocrmApi1764310000000,
  LateCancellations1764320000000,
  LaunchGate1764330000000,
  DisplaySettings1764340000000,
  Forecasts1764350000000,
  ContendersSlide1764355000000,
  Notifications1764360000000,
  CrmDealRows1764365000000,
  OnecOdata1764370000000,
];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // No entities: repositories write SQL through `database/sql.ts`, the schema is the migrations'.
    entities: [],
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: 20,
      connectionTimeoutMillis: 5_000,
      // Health checks and requests must fail fast while PostgreSQL is away, not hang.
      query_timeout: 30_000,
    },
  };
}

/** Any number 32-bit number will do: it only has to be the same for every Podium process. */
const MIGRATION_LOCK = 0x706f6469;

/**
 * Runs the pending migrations under a PostgreSQL advisory lock, so replicas that start together
 * migrate once. Answers the names of the migrations it applied.
 */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        return applied.map((migration) => migration.name);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  } finally {
    await dataSource.destroy();
  }
}
