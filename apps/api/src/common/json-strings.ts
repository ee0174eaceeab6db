import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatJsonPath } from '@podium/contest-model';
import { validationErrorBody, type FieldIssue } from './validation/zod-validation.pipe.js';

/** The code of a refused string PostgreSQL cannot store. */
const UNSTORABLE = 'unstorable';

/** JSON escapes PostgreSQL cannot store: NUL (text and jsonb) and UTF-16 surrogates (jsonb). */
const SUSPECT_ESCAPE = /\\u(0000|d[89a-f])/i;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The paths of strings (values and keys) holding NUL or a lone surrogate; at most `limit`. */
export function unstorableStrings(value: unknown, limit = 20): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const visit = (node: unknown, path: PropertyKey[]) => {
    if (issues.length >= limit) return;
    if (typeof node === 'string') {
      const problem = describe(node);
      if (problem) issues.push({ path: formatJsonPath(path), message: problem, code: UNSTORABLE });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      const problem = describe(key);
      if (problem)
        issues.push({
          path: formatJsonPath([...path, key]),
          message: `key: ${problem}`,
          code: UNSTORABLE,
        });
      visit(item, [...path, key]);
    }
  };
  visit(value, []);
  return issues;
}

function describe(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (a lone UTF-16 surrogate is not)';
  return null;
}

/**
 * Refuses, with a 400 naming the field, requests whose path parameters, query or JSON body hold
 * strings PostgreSQL cannot store — the NUL character and lone surrogates — before any route sees
 * them, so no lookup or write fails on them as a 500. Cheap on the common path: the body is walked
 * only when its raw text holds such an escape (raw control characters are already refused by the
 * JSON parser). Percent-encodings that are not UTF-8 never get this far: see `path-params.ts`.
 */
export function refuseUnstorableStrings(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done) => {
    const inUrl = [...unstorableStrings(request.params), ...unstorableStrings(request.query)];
    if (inUrl.length > 0) return void refuse(reply, inUrl);
    const body = request.body;
    if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return done();
    const raw = (request as { rawBody?: Buffer }).rawBody;
    if (
      raw !== undefined &&
      (raw.indexOf('\\u') === -1 || !SUSPECT_ESCAPE.test(raw.toString('latin1')))
    )
      return done();
    const issues = unstorableStrings(body);
    if (issues.length === 0) return done();
    refuse(reply, issues);
  });
}

function refuse(reply: FastifyReply, issues: FieldIssue[]): void {
  void reply.status(400).send(validationErrorBody(issues));
}
