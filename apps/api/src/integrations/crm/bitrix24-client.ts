import {
  RateLimiterMemory,
  RateLimiterQueue,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { nonPublicAddressOf, PORTAL_URL_FIELD, PRIVATE_PORTAL_REFUSED } from './portal-address.js';

/**
 * The one way Podium calls a Bitrix24 portal's REST API (its inbound webhook), shaped by what the
 * portal tolerates (REST docs, "REST API Limits", limits.md):
 * - a leaky bucket per portal: the counter grows by one per request, drains by 2 per second
 *   (5 on Enterprise) and the request that finds it above 50 (250) is refused with
 *   `503 QUERY_LIMIT_EXCEEDED`; the portal counts per source address, so every integration of
 *   this server calling one portal shares the budget;
 * - "do not run multiple parallel series of requests from a single IP address";
 * - a method whose accumulated run time exceeds its limit answers `429 OPERATION_TIME_LIMIT` for
 *   minutes (10 one-minute baskets), so retrying it at once only wastes requests.
 */

/** What a call answered: `next` and `total` come with list methods. */
export interface Bitrix24Answer<T = unknown> {
  readonly result: T;
  readonly next?: number;
  readonly total?: number;
}

export interface Bitrix24CallOptions {
  /** How long one HTTP request may take (the portal itself stops a request after 60 s). */
  readonly timeoutMs: number;
  /** Lets the portal be on a loopback, link-local or private address (`PODIUM_ALLOW_PRIVATE_CRM`). */
  readonly allowPrivate: boolean;
  /** Ends the call (and its waits) early: the caller is stopping. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Tries after the first for a failure that heals within seconds (QUERY_LIMIT_EXCEEDED, 5xx,
   * network errors, timeouts), 1 s, 2 s, 4 s … apart; default 3. A caller that has retries of
   * its own (a job system's backoff) passes 0, so the two never multiply.
   */
  readonly retries?: number;
}

/**
 * A call that failed, in the portal's own words where it gave some (`error` and
 * `error_description`; an empty `error` is still an error). `retryable`: it may heal later, so a
 * job system may try again; false for what cannot heal (not found, no access, a refused webhook).
 * The message never holds the webhook URL, which carries the webhook's secret code.
 */
export class PortalError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The portal's error code ("" when it sent an empty one), null when it sent none. */
    readonly code: string | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Codes whose failure heals within seconds: worth a retry in the same call. `OVERLOAD_LIMIT` (a
 * block set by hand by Bitrix24's support) and `OPERATION_TIME_LIMIT` (minutes) may heal later.
 */
const TRANSIENT_CODES = new Set(['QUERY_LIMIT_EXCEEDED', 'INTERNAL_SERVER_ERROR']);
const LATER_CODES = new Set(['OPERATION_TIME_LIMIT', 'OVERLOAD_LIMIT', 'ERROR_UNEXPECTED_ANSWER']);

/** Requests per second Podium makes to one portal: the drain rate of the lowest tariff. */
export const PORTAL_REQUESTS_PER_SECOND = 2;

/**
 * The pace of every call to one portal, keyed by the portal's host. A fixed window of 2 requests
 * per second: at worst 2 at the end of one window and 2 at the start of the next, 4 in the
 * portal's bucket, far below its 50; sustained, never more than the bucket drains. The burst the
 * bucket allows is left unused on purpose: a fixed window cannot pay a burst back, and every other
 * application of the portal draws on the same bucket. A queue in front makes callers wait their
 * turn instead of being refused. Replaced by a store shared between processes when there is one
 * (`shareBitrix24Pace`).
 */
let pace = new RateLimiterQueue(
  new RateLimiterMemory({
    keyPrefix: 'bitrix24-portal',
    points: PORTAL_REQUESTS_PER_SECOND,
    duration: 1,
  }),
);

/** Makes every call of this process count in `limiter` (e.g. Redis, shared by all processes). */
export function shareBitrix24Pace(limiter: RateLimiterAbstract): void {
  pace = new RateLimiterQueue(limiter);
}

/** The request in flight per portal in this process: a portal gets one series, not several. */
const inFlight = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = inFlight.get(key) ?? Promise.resolve();
  const mine = before.then(work, work);
  const settled = mine.catch(() => undefined);
  inFlight.set(key, settled);
  try {
    return await mine;
  } finally {
    if (inFlight.get(key) === settled) inFlight.delete(key);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PortalError('the call was stopped', true));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', stop);
      resolve();
    }
    function stop() {
      clearTimeout(timer);
      reject(new PortalError('the call was stopped', true));
    }
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/**
 * Calls `method` of the portal: `POST <portalWebhookUrl><method>.json` with `params` as JSON
 * (the REST API takes JSON bodies, REST docs "How to call REST API"). Waits its turn in the
 * portal's pace, one request at a time; refused without a call when the portal is on a non-public
 * address and `allowPrivate` is false (checked before every call: what a name resolves to may
 * change). Throws a `PortalError` once the failure cannot heal or its retries are spent.
 */
export async function callBitrix24<T = unknown>(
  portalWebhookUrl: string,
  method: string,
  params: Readonly<Record<string, unknown>>,
  options: Bitrix24CallOptions,
): Promise<Bitrix24Answer<T>> {
  if (!options.allowPrivate && (await nonPublicAddressOf(portalWebhookUrl)) !== null) {
    throw new PortalError(`${PORTAL_URL_FIELD} ${PRIVATE_PORTAL_REFUSED}`, false);
  }
  const base = portalWebhookUrl.endsWith('/') ? portalWebhookUrl : `${portalWebhookUrl}/`;
  const portal = new URL(base).host.toLowerCase();
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await oneAtATime(portal, async () => {
        await waitTurn(portal, options.signal);
        return request<T>(`${base}${method}.json`, params, options);
      });
    } catch (error) {
      const failure =
        error instanceof PortalError ? error : new PortalError(String(error), true, null, null);
      if (!transient(failure) || attempt >= retries || options.signal?.aborted) throw failure;
      await sleep(1_000 * 2 ** attempt, options.signal);
    }
  }
}

async function waitTurn(portal: string, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) throw new PortalError('the call was stopped', true);
  let stop = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stop = () => reject(new PortalError('the call was stopped', true));
    signal?.addEventListener('abort', stop, { once: true });
  });
  try {
    await Promise.race([pace.removeTokens(1, portal), stopped]);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * Runs `work` as one request to the server `host` in the pace every portal call keeps (two a
 * second, one at a time, shared between processes when `shareBitrix24Pace` set a store): the
 * other servers Podium reads on schedule (1C's OData interface) use it too.
 */
export function inServerPace<T>(
  host: string,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const key = host.toLowerCase();
  return oneAtATime(key, async () => {
    await waitTurn(key, signal);
    return work();
  });
}

/** A failure worth another try in the same call. */
function transient(error: PortalError): boolean {
  if (!error.retryable) return false;
  if (error.code !== null && error.code !== '') return TRANSIENT_CODES.has(error.code);
  // No code: a network error or timeout (no status), or a 5xx without a REST body.
  return error.status === null || error.status >= 500;
}

interface PortalBody {
  result?: unknown;
  next?: unknown;
  total?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/**
 * The failure a REST error body (`error`, `error_description`) names: of a whole request (its
 * HTTP status given) or of one command of a `batch` (no status of its own). `notRest`: a 2xx
 * whose body is not a REST answer.
 */
export function portalFailure(
  body: { error?: unknown; error_description?: unknown },
  status: number | null,
  notRest = false,
): PortalError {
  const code = typeof body.error === 'string' ? body.error : null;
  const description =
    typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
  const shown = code ? ` ${code}` : '';
  const answered = status === null ? 'the portal answered' : `the portal answered ${status}`;
  const message = `${answered}${shown}${description}`.slice(0, 500);
  const retryable =
    (status !== null && (status >= 500 || status === 429)) ||
    (code !== null && (TRANSIENT_CODES.has(code) || LATER_CODES.has(code)));
  return new PortalError(
    notRest ? `${message}: not a REST answer` : message,
    retryable,
    code,
    status,
  );
}

function parseJson(text: string): PortalBody | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as PortalBody) : null;
  } catch {
    return null;
  }
}

async function request<T>(
  url: string,
  params: Readonly<Record<string, unknown>>,
  { timeoutMs, signal }: Bitrix24CallOptions,
): Promise<Bitrix24Answer<T>> {
  let response: Response;
  let text: string;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(params),
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw new PortalError('the call was stopped', true);
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new PortalError(`the portal did not answer within ${timeoutMs} ms`, true);
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new PortalError(`the portal could not be reached (${cause ?? 'network error'})`, true);
  }
  const json = parseJson(text);
  // `{"error":"","error_description":"Not found"}` (crm.deal.get, 400): the empty code is an error.
  const code = typeof json?.error === 'string' ? json.error : null;
  if (!response.ok || code !== null || json === null || !('result' in json)) {
    throw portalFailure(json ?? {}, response.status, response.ok && code === null);
  }
  const count = (value: unknown) =>
    typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
      ? Number(value)
      : undefined;
  const next = count(json.next);
  const total = count(json.total);
  return {
    result: json.result as T,
    ...(next === undefined ? {} : { next }),
    ...(total === undefined ? {} : { total }),
  };
}

/**
 * One command of a `batch`: `method?query`, the parameters written as PHP reads a query string
 * (`filter[COMPANY_ID]=5&select[0]=ID&order[MOVED_TIME]=ASC`), the way the portal parses each
 * command (REST docs, "How to Execute a Batch Request": the command's parameters are
 * `http_build_query` of its arguments).
 */
export function batchCommand(method: string, params: Readonly<Record<string, unknown>>): string {
  const query = new URLSearchParams();
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => add(`${key}[${index}]`, item));
    } else if (typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) add(`${key}[${name}]`, item);
    } else {
      query.append(key, String(value));
    }
  };
  for (const [name, value] of Object.entries(params)) add(name, value);
  return `${method}?${query.toString()}`;
}

/** Commands one `batch` call may carry (REST docs, "How to Execute a Batch Request"). */
export const BATCH_LIMIT = 50;

/**
 * Runs up to 50 commands (`key → "method?param=value"`) in one `batch` call, one request in the
 * portal's pace however many commands it carries (REST docs settings/how-to-call-rest-api,
 * "How to Execute a Batch Request"). Sent as JSON `{"halt":0,"cmd":{…}}`: every command runs
 * whatever the others answer. The answer is `result.result` (key → the method's result),
 * `result.result_error` (key → `{error, error_description}`), `result_total`, `result_next` and
 * `result_time` (each an object by key, or `[]` when empty). Answers each command's result or
 * its failure in the portal's words; a command the answer leaves out is a failure that may heal.
 * Throws a `PortalError` when the call as a whole fails, as `callBitrix24` does.
 */
export async function callBitrix24Batch(
  portalWebhookUrl: string,
  commands: Readonly<Record<string, string>>,
  options: Bitrix24CallOptions,
): Promise<Map<string, { readonly result: unknown } | PortalError>> {
  const keys = Object.keys(commands);
  if (keys.length === 0) return new Map();
  if (keys.length > BATCH_LIMIT) {
    throw new Error(`a batch carries at most ${BATCH_LIMIT} commands, not ${keys.length}`);
  }
  const answer = await callBitrix24(portalWebhookUrl, 'batch', { halt: 0, cmd: commands }, options);
  const body = answer.result;
  const byKey = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  if (body === null || typeof body !== 'object' || !('result' in body)) {
    throw new PortalError('the portal answered 200: not a batch answer', true, null, 200);
  }
  const results = byKey((body as { result: unknown }).result);
  const errors = byKey((body as { result_error?: unknown }).result_error);
  const outcomes = new Map<string, { readonly result: unknown } | PortalError>();
  for (const key of keys) {
    if (key in errors) outcomes.set(key, portalFailure(byKey(errors[key]), null));
    else if (key in results) outcomes.set(key, { result: results[key] });
    else outcomes.set(key, new PortalError('the portal answered no result for it', true));
  }
  return outcomes;
}
