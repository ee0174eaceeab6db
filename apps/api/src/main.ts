import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.factory.js';
import { PublicUrl } from './common/public-url.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { EmbeddedPostgres } from './database/embedded-postgres.js';
import { migrate } from './database/data-source.js';
import { createLogger } from './logging/logger.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env, {
      cwd: process.cwd(),
      webDir: path.join(repoRoot, 'apps/web/dist'),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`podium: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  if (databaseUrl === null) {
    embedded = new EmbeddedPostgres({
      dataDir: config.dataDir,
      log: (message) => logger.info({ context: 'EmbeddedPostgres' }, message),
    });
    databaseUrl = await embedded.start();
    logger.info(
      { context: 'EmbeddedPostgres', dataDir: config.dataDir },
      'embedded PostgreSQL started',
    );
  }

  // npm and the terminal may both deliver one Ctrl+C: a repeat within a few seconds is the same
  // request; a later one means "stop now".
  let stoppingSince: number | null = null;
  let app: Awaited<ReturnType<typeof createApp>> | null = null;
  const stop = async (signal: NodeJS.Signals) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < 3_000) return;
      logger.warn({ signal }, 'signal repeated: exiting at once');
      embedded?.kill();
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'stopping');
    await app
      ?.close()
      .catch((error: unknown) => logger.error({ error: String(error) }, 'close failed'));
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));

  try {
    const applied = await migrate(databaseUrl);
    logger.info({ context: 'Migrations', applied }, `${applied.length} migration(s) applied`);
    app = await createApp({ config, databaseUrl, logger });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    logger.fatal({ error: error instanceof Error ? error.message : String(error) }, 'start failed');
    await embedded?.stop();
    process.exit(1);
  }

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  // The same base as every link Podium hands out: PODIUM_PUBLIC_URL, else where it listens.
  const base = app.get(PublicUrl).base();
  logger.info({ port, embedded: embedded !== null, demo: config.demo }, 'Podium is listening');
  process.stdout.write(
    [
      '',
      `  Podium is running${embedded ? ` (embedded PostgreSQL, data in ${config.dataDir})` : ''}`,
      `  Web app     ${base}/`,
      `  API         ${base}/api`,
      `  Health      ${base}/api/health`,
      `  OpenAPI     ${base}/api/openapi.json`,
      '  Stop with Ctrl+C.',
      '',
      '',
    ].join('\n'),
  );
}

void main();
