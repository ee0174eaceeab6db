import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/config.js';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * The document the API serves at /api/openapi.json, built without a database: Nest's preview
 * mode resolves the module graph but instantiates no provider, so nothing connects anywhere.
 * The web app's types are generated from it (scripts/api-types.mjs).
 */
export async function buildOfflineOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig(
    { DATABASE_URL: 'postgres://localhost/unused', LOG_LEVEL: 'silent' },
    { cwd: process.cwd(), webDir: null },
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl: 'postgres://localhost/unused' }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  app.setGlobalPrefix('api');
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
