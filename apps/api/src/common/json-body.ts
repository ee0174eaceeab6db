import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';

/**
 * Parses `application/json` bodies as Fastify does, except that an empty body (no bytes at all)
 * is no body rather than a 400: many HTTP clients send `content-type: application/json` on every
 * request, including the bodiless POSTs and DELETEs (launch, close, logout). A route that needs a
 * body still refuses the missing one in its own validation, naming the body; whitespace or broken
 * JSON is still a 400 from the JSON parser.
 */
export function acceptEmptyJsonBody(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    parseJson(request, body.toString('utf8'), done);
  });
}
