import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  validationErrorBody,
  type FieldIssue,
  type ValidationErrorBody,
} from './validation/zod-validation.pipe.js';

const NOT_UTF8 =
  'must be percent-encoded UTF-8 (a lone UTF-16 surrogate or a broken byte sequence is not)';

/** Runs of percent-escapes; the ones that do not decode are what the client got wrong. */
const ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The names of the route parameters holding undecodable escapes in this path, or `path` when
 * they are not in a parameter (or no route matches). Fastify refuses such a URL before routing,
 * so the route is found again with every bad run of escapes replaced by a marker.
 */
function badParameters(fastify: FastifyInstance, method: string, url: string): string[] {
  const [path = ''] = url.split('?', 1);
  // Unguessable, so a client cannot make a well-formed parameter look like the bad one.
  const nonce = randomUUID();
  const markers: string[] = [];
  const marked = path.replace(ESCAPES, (run) => {
    if (decodes(run)) return run;
    markers.push(`bad-escape-${markers.length}-${nonce}`);
    return markers[markers.length - 1] as string;
  });
  const route = decodes(marked) ? fastify.findRoute({ method, url: marked }) : null;
  const params = (route?.params ?? {}) as Record<string, string | undefined>;
  const names = Object.entries(params)
    .filter(([, value]) => markers.some((marker) => value?.includes(marker)))
    .map(([name]) => name);
  return names.length > 0 ? names : ['path'];
}

/**
 * Fastify's `frameworkErrors` handler. A URL whose percent-escapes are not UTF-8 (`%ED%A0%80`, a
 * lone surrogate encoded as CESU-8; `%FF`) is a 400 naming the path parameter, in the shape of
 * every other validation answer, instead of Fastify's own `FST_ERR_BAD_URL` body. NUL and other
 * storable-but-unwanted characters are refused later, with the body (`json-strings.ts`).
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code !== 'FST_ERR_BAD_URL') {
    void reply.send(error);
    return;
  }
  const issues: FieldIssue[] = badParameters(request.server, request.method, request.url).map(
    (name) => ({ path: name, message: NOT_UTF8, code: 'notUtf8' }),
  );
  const answer: ValidationErrorBody = {
    ...validationErrorBody(issues),
    // Each parameter named in the summary: there are few, and each is a URL's part.
    message: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
  };
  void reply.status(400).send(answer);
}
