import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { AppModule } from './app.module.js';
import { recordRoutes, RouteRegistry } from './auth/route-registry.js';
import { registerNoStore } from './auth/secret-answers.js';
import { corsOptions, registerSecurityHeaders } from './auth/security.js';
import type { Clock } from './common/clock.js';
import { DatabaseUnavailableFilter } from './common/database-errors.js';
import { acceptEmptyJsonBody } from './common/json-body.js';
import { refuseUnstorableStrings } from './common/json-strings.js';
import { frameworkErrors } from './common/path-params.js';
import type { AppConfig } from './config/config.js';
import { createLogger, NestPinoLogger, type Logger } from './logging/logger.js';
import { requestLogger } from './logging/request-log.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { OpenApiService } from './openapi/openapi.service.js';
import { serveWebApp } from './web/web-app.js';

export interface CreateAppOptions {
  readonly config: AppConfig;
  /** The database to use: `DATABASE_URL`, the embedded server's, or a test database. */
  readonly databaseUrl: string;
  readonly logger?: Logger;
  /** Replaces the system clock: tests move time by hand. */
  readonly clock?: Clock;
}

/** Largest accepted request body: a batch of 1,000 events fits with room to spare. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** Largest import file: 10,000 rows of CSV take about 1 MB; XLSX is compressed. */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Builds the whole application (API under `/api`, `/live` socket.io namespace, the web app at
 * `/`) and initialises it, without listening. `main` listens; tests may use `app.inject` or
 * listen on port 0.
 */
export async function createApp({
  config,
  databaseUrl,
  logger = createLogger(config.logLevel),
  clock,
}: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // X-Forwarded-For is anyone's to write: believed only from the proxies the operator names,
    // else a client picks its own address and with it its own rate-limit budget.
    trustProxy: config.trustedProxies?.length ? [...config.trustedProxies] : false,
    // A URL that is not UTF-8: a 400 naming the path parameter (common/path-params.ts).
    frameworkErrors,
  });
  const fastify = adapter.getInstance();
  // Every route, as registered (the access-table check and the role matrix test read them).
  const routes = recordRoutes(fastify);
  await registerSecurityHeaders(fastify);
  registerNoStore(fastify);
  // NUL and lone surrogates in a JSON body: a 400 naming the field, not a 500 from PostgreSQL.
  refuseUnstorableStrings(fastify);
  // Prize images are uploaded as the raw body (curl --data-binary @prize.png).
  fastify.addContentTypeParser(
    ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );
  // Import files (CSV, XLSX) are uploaded as the raw body too, with a limit of their own.
  fastify.addContentTypeParser(
    ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );
  // One line per request: method, route template (never the URL, which may hold a secret),
  // status and duration.
  const logRequest = requestLogger(logger);
  fastify.addHook('onResponse', (request, reply, done) => {
    logRequest({
      method: request.method,
      route: request.routeOptions.url ?? '(unmatched)',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    });
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl, ...(clock ? { clock } : {}) }),
    adapter,
    { logger: new NestPinoLogger(logger), abortOnError: false, rawBody: true },
  );
  acceptEmptyJsonBody(app, BODY_LIMIT_BYTES);
  app.setGlobalPrefix('api');
  // PostgreSQL unreachable → 503 with Retry-After, never a 500 (see common/database-errors.ts).
  app.useGlobalFilters(new DatabaseUnavailableFilter(app.getHttpAdapter()));
  const cors = corsOptions(config);
  if (cors !== null) app.enableCors(cors);
  try {
    if (config.webDir !== null) await serveWebApp(fastify, config.webDir);
    await app.init();
    app.get(RouteRegistry).record(routes);
    app.get(OpenApiService).document = buildOpenApiDocument(app);
  } catch (error) {
    // A start that fails half-way (PostgreSQL too slow to answer a module's first query) leaves
    // nothing running: the modules already started (the job system's workers, the cluster's
    // listener and its reconnect timer) are stopped before the error goes to the caller.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
