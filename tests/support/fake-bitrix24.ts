import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerBatch, commandsOf, dealIdsOf } from './fake-bitrix24-batch.js';

/**
 * A deal as Bitrix24's REST API answers it: every value a string, an empty date `""` (REST docs
 * crm.deal.get "Response Handling"; a captured crm.contact.get answer in a public client's debug
 * log carries `"BIRTHDATE": ""`).
 */
export interface FakeDeal {
  ID: string;
  TITLE?: string;
  STAGE_ID?: string;
  STAGE_SEMANTIC_ID: 'S' | 'F' | 'P';
  CATEGORY_ID?: string;
  OPPORTUNITY: string;
  CURRENCY_ID: string;
  ASSIGNED_BY_ID: string;
  CLOSEDATE: string;
  DATE_MODIFY: string;
  MOVED_TIME?: string;
  [field: string]: string | undefined;
}

/**
 * A deal in the won stage as `crm.deal.get` answers it, moved there on 5 March 2026 at 18:00
 * Moscow time (`MOVED_TIME`, `CLOSEDATE` the same day), worth 100,000.00 RUB, of CRM user 7;
 * `fields` change any of it.
 */
export function wonDeal(id: string, fields: Partial<FakeDeal> = {}): FakeDeal {
  return {
    ID: id,
    TITLE: `Deal #${id}`,
    STAGE_ID: 'WON',
    STAGE_SEMANTIC_ID: 'S',
    CATEGORY_ID: '0',
    OPPORTUNITY: '100000.00',
    CURRENCY_ID: 'RUB',
    ASSIGNED_BY_ID: '7',
    MOVED_TIME: '2026-03-05T18:00:00+03:00',
    CLOSEDATE: '2026-03-05T18:00:00+03:00',
    DATE_CREATE: '2026-03-02T10:00:00+03:00',
    DATE_MODIFY: '2026-03-05T18:05:00+03:00',
    // No client: crm.deal.get answers "0" for a deal without a company or contact.
    COMPANY_ID: '0',
    CONTACT_ID: '0',
    ...fields,
  };
}

/**
 * A product row as `crm.deal.productrows.get` answers it (REST docs, bitrix-tools/b24-rest-docs
 * api-reference/crm/deals/crm-deal-productrows-get.md, "Обработка ответа"): the ids strings,
 * `PRICE` (the final price of one unit) and `QUANTITY` numbers, `PRICE_ACCOUNT` a string.
 */
export interface FakeProductRow {
  ID: string;
  OWNER_ID: string;
  OWNER_TYPE: 'D';
  PRODUCT_ID: number;
  PRODUCT_NAME: string;
  ORIGINAL_PRODUCT_NAME: string;
  PRODUCT_DESCRIPTION: string | null;
  PRICE: number;
  PRICE_EXCLUSIVE: number;
  PRICE_NETTO: number;
  PRICE_BRUTTO: number;
  PRICE_ACCOUNT: string;
  QUANTITY: number;
  DISCOUNT_TYPE_ID: number;
  DISCOUNT_RATE: number;
  DISCOUNT_SUM: number;
  TAX_RATE: number | null;
  TAX_INCLUDED: 'Y' | 'N';
  CUSTOMIZED: 'Y' | 'N';
  MEASURE_CODE: number;
  MEASURE_NAME: string;
  SORT: number;
  XML_ID: string;
  TYPE: number;
  STORE_ID: number;
}

let rowSeq = 0;

/** A row of `quantity` × `name` at `price` (major units) a unit, of deal `dealId`. */
export function productRow(
  dealId: string,
  name: string,
  price: number,
  quantity: number,
): FakeProductRow {
  rowSeq += 1;
  return {
    ID: String(rowSeq),
    OWNER_ID: dealId,
    OWNER_TYPE: 'D',
    PRODUCT_ID: 440 + rowSeq,
    PRODUCT_NAME: name,
    ORIGINAL_PRODUCT_NAME: name,
    PRODUCT_DESCRIPTION: null,
    PRICE: price,
    PRICE_EXCLUSIVE: price,
    PRICE_NETTO: price,
    PRICE_BRUTTO: price,
    PRICE_ACCOUNT: price.toFixed(2),
    QUANTITY: quantity,
    DISCOUNT_TYPE_ID: 2,
    DISCOUNT_RATE: 0,
    DISCOUNT_SUM: 0,
    TAX_RATE: null,
    TAX_INCLUDED: 'Y',
    CUSTOMIZED: 'Y',
    MEASURE_CODE: 796,
    MEASURE_NAME: 'шт',
    SORT: 10 * rowSeq,
    XML_ID: `sale_basket_${600 + rowSeq}`,
    TYPE: 1,
    STORE_ID: 0,
  };
}

/**
 * An entry of the portal's Leads as `crm.lead.get` / `crm.lead.list` answer it (REST docs
 * crm/leads/crm-lead-get.md): every value a string, dates ISO 8601 with the portal's offset.
 */
export interface FakeCrmLead {
  ID: string;
  TITLE: string;
  STATUS_ID: string;
  STATUS_SEMANTIC_ID: 'S' | 'F' | 'P';
  ASSIGNED_BY_ID: string;
  DATE_CREATE: string;
  DATE_MODIFY: string;
  COMPANY_ID: string;
  CONTACT_ID: string;
  OPPORTUNITY: string;
  CURRENCY_ID: string;
  [field: string]: string | undefined;
}

export function crmLead(id: string, fields: Partial<FakeCrmLead> = {}): FakeCrmLead {
  return {
    ID: id,
    TITLE: `Lead #${id}`,
    STATUS_ID: 'NEW',
    STATUS_SEMANTIC_ID: 'P',
    ASSIGNED_BY_ID: '7',
    DATE_CREATE: '2026-03-03T11:00:00+03:00',
    DATE_MODIFY: '2026-03-03T11:00:00+03:00',
    COMPANY_ID: '0',
    CONTACT_ID: '0',
    OPPORTUNITY: '0.00',
    CURRENCY_ID: 'RUB',
    ...fields,
  };
}

/** An error body and status exactly as the portal answers it. */
export interface PortalFailure {
  readonly status: number;
  readonly error: string;
  readonly description: string;
}

/**
 * The errors a portal answers (REST docs `_includes/system-errors.md`, limits.md, crm.deal.get
 * "Error Handling", and the on-premise OAuth provider's `invalid_token`).
 */
export const PORTAL_ERRORS = {
  // crm.deal.get: "Empty value | Not found" — the code is an empty string.
  notFound: { status: 400, error: '', description: 'Not found' },
  accessDeniedToDeal: { status: 400, error: '', description: 'Access denied' },
  queryLimit: { status: 503, error: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests' },
  operationTime: {
    status: 429,
    error: 'OPERATION_TIME_LIMIT',
    description: 'Method is blocked due to operation time limit.',
  },
  internal: { status: 500, error: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' },
  expiredToken: {
    status: 401,
    error: 'expired_token',
    description: 'The access token provided has expired.',
  },
  invalidToken: { status: 401, error: 'invalid_token', description: 'Token expired or invalid' },
  wrongWebhook: { status: 401, error: 'NO_AUTH_FOUND', description: 'Wrong authorization data' },
  accessDenied: {
    status: 403,
    error: 'ACCESS_DENIED',
    description: 'REST API is available only on commercial plans',
  },
} as const satisfies Record<string, PortalFailure>;

/** What the next calls answer, one entry per call, before falling back to the deal itself. */
export type Scripted =
  | { kind: 'error'; status: number; error: string; description: string }
  | { kind: 'hang' }
  | { kind: 'broken' }
  /** Answered as usual: lets a script fail a later call and not the first ones. */
  | { kind: 'pass' };

/** The REST methods the fake answers: params (query and body merged) → result, or a failure. */
type Method = (params: Record<string, unknown>) => { result: unknown } | PortalFailure;

/**
 * A local stand-in for a Bitrix24 portal's inbound webhook, answering as the real REST API does:
 * `{"result":…,"time":{…}}`, errors as `{"error":"…","error_description":"…"}` with their status.
 * Its request limit is the portal's leaky bucket (REST docs limits.md, "Request Rate Limits"):
 * each request adds one to a counter that drains by `drainPerSecond` (2; Enterprise 5), and a
 * request finding it above `burst` (50; Enterprise 250) is refused with 503 QUERY_LIMIT_EXCEEDED,
 * counted in `limitRefusals`; a `batch` of up to 50 commands is one request
 * (`fake-bitrix24-batch.ts`). Calls can be scripted to fail, hang or break, or failed a number
 * of times per method (`fail`: `batch` fails the whole call, `crm.deal.get` a command in it).
 */
export class FakeBitrix24 {
  readonly deals = new Map<string, FakeDeal>();
  /** Each deal's product rows (`crm.deal.productrows.get`): none when absent. */
  readonly productRows = new Map<string, FakeProductRow[]>();
  /** The portal's Leads (`crm.lead.get`, `crm.lead.list`). */
  readonly leads = new Map<string, FakeCrmLead>();
  /** Answers for the next calls, in order (then the stored deal). */
  readonly script: Scripted[] = [];
  /**
   * Every call received: path (without the webhook code), the method, the deal id, the ids of
   * the deals it asked for (of a `batch`, every `crm.deal.get` in it), when, and the parameters
   * of a `crm.deal.list`.
   */
  readonly calls: {
    path: string;
    method: string;
    id: string | null;
    ids: string[];
    at: number;
    body?: DealListBody;
  }[] = [];
  /** Delay before every answer. */
  delayMs = 0;
  /**
   * Called as each call arrives, before it is answered: a test changes the portal's deals
   * between two calls here, as people working in the CRM do.
   */
  onCall: ((call: { path: string; body?: DealListBody }) => void) | null = null;
  drainPerSecond = 2;
  burst = 50;
  /** Requests refused with QUERY_LIMIT_EXCEEDED because the bucket was full. */
  limitRefusals = 0;
  /** Requests under way at once, and the most there ever were. */
  private active = 0;
  maxActive = 0;
  private bucket = { level: 0, at: performance.now() };
  private readonly failures = new Map<string, { times: number; failure: PortalFailure }[]>();
  private gate: { promise: Promise<void>; open: () => void } | null = null;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private server: http.Server | null = null;
  readonly code = 'h7k2m9p4x1q8w3e6';
  readonly userId = '1';

  private readonly methods: Record<string, Method> = {
    'crm.deal.get': (params) => {
      const id = typeof params.id === 'string' || typeof params.id === 'number' ? params.id : '';
      // crm.deal.get "Possible Error Codes": both with an empty code.
      if (!/^\d+$/.test(String(id))) {
        return { status: 400, error: '', description: 'ID is not defined or invalid.' };
      }
      const deal = this.deals.get(String(id));
      return deal ? { result: deal } : PORTAL_ERRORS.notFound;
    },
    'crm.deal.list': (params) => listDeals([...this.deals.values()], params),
    'crm.deal.productrows.get': (params) => {
      const id = typeof params.id === 'string' || typeof params.id === 'number' ? params.id : '';
      if (!/^\d+$/.test(String(id))) {
        return {
          status: 400,
          error: '',
          description: 'The parameter id is invalid or not defined.',
        };
      }
      if (!this.deals.has(String(id))) return PORTAL_ERRORS.notFound;
      return { result: this.productRows.get(String(id)) ?? [] };
    },
    'crm.lead.get': (params) => {
      const id = typeof params.id === 'string' || typeof params.id === 'number' ? params.id : '';
      if (!/^\d+$/.test(String(id))) {
        return { status: 400, error: '', description: 'ID is not defined or invalid.' };
      }
      const lead = this.leads.get(String(id));
      return lead ? { result: lead } : PORTAL_ERRORS.notFound;
    },
    'crm.lead.list': (params) => listDeals([...this.leads.values()], params),
  };

  /** Holds every answer until `release()`: the portal is slow for as long as the test wants. */
  hold(): void {
    let open = () => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = null;
  }

  /** The next `times` calls of `method` answer `failure`. */
  fail(method: string, times: number, failure: PortalFailure): void {
    const list = this.failures.get(method) ?? [];
    list.push({ times, failure });
    this.failures.set(method, list);
  }

  /** Resolves once `count` calls in all have arrived. */
  waitForCalls(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** `http://127.0.0.1:<port>/rest/1/<code>/`: what the admin pastes as the inbound webhook. */
  get webhookUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the fake portal is not listening');
    return `http://127.0.0.1:${address.port}/rest/${this.userId}/${this.code}/`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.release();
    for (const response of this.hanging) response.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Adds this request to the bucket; false when the bucket was already above the limit. */
  private admit(): boolean {
    const now = performance.now();
    const drained = ((now - this.bucket.at) / 1000) * this.drainPerSecond;
    this.bucket = { level: Math.max(0, this.bucket.level - drained), at: now };
    if (this.bucket.level >= this.burst) return false;
    this.bucket.level += 1;
    return true;
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse) {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    response.on('close', () => (this.active -= 1));
    const url = new URL(request.url ?? '/', 'http://portal');
    const prefix = `/rest/${this.userId}/${this.code}/`;
    const params = await this.params(url, request);
    const method = url.pathname.slice(prefix.length).replace(/\.json$/, '');
    const id = typeof params.id === 'string' || typeof params.id === 'number' ? params.id : null;
    const commands = method === 'batch' ? commandsOf(params) : [];
    this.calls.push({
      path: url.pathname.replace(this.code, '<code>'),
      method,
      id: id === null ? null : String(id),
      ids: method === 'batch' ? dealIdsOf(commands) : id === null ? [] : [String(id)],
      at: Date.now(),
      ...(method === 'crm.deal.list' || method === 'crm.lead.list' ? { body: params } : {}),
    });
    this.onCall?.(this.calls.at(-1) as { path: string; body?: DealListBody });
    for (const waiter of this.waiters.filter((w) => this.calls.length >= w.count)) {
      waiter.resolve();
    }
    this.waiters = this.waiters.filter((w) => this.calls.length < w.count);
    const started = performance.now();
    const admitted = this.admit();
    const scripted = this.script.shift();
    if (this.gate) await this.gate.promise;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const send = (status: number, body: unknown) => {
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const failWith = (failure: PortalFailure) =>
      send(failure.status, { error: failure.error, error_description: failure.description });
    if (!admitted) {
      this.limitRefusals += 1;
      failWith(PORTAL_ERRORS.queryLimit);
      return;
    }
    if (!url.pathname.startsWith(prefix)) {
      failWith(PORTAL_ERRORS.wrongWebhook);
      return;
    }
    if (scripted?.kind === 'hang') {
      this.hanging.add(response);
      return;
    }
    if (scripted?.kind === 'broken') {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    if (scripted?.kind === 'error') {
      send(scripted.status, { error: scripted.error, error_description: scripted.description });
      return;
    }
    if (method === 'batch' && !this.failures.get(method)?.length) {
      // One request in the bucket (counted above) however many commands it carries.
      const result = answerBatch(
        commands,
        params.halt,
        (name, given) => this.perform(name, given),
        (at) => this.time(at),
      );
      send(200, { result, time: this.time(started) });
      return;
    }
    const outcome = this.perform(method, params);
    if ('error' in outcome) {
      failWith(outcome);
      return;
    }
    send(200, { ...outcome, time: this.time(started) });
  }

  /** One method's answer: a planned failure first, then the method itself. */
  private perform(method: string, params: Record<string, unknown>): ReturnType<Method> {
    const planned = this.failures.get(method)?.[0];
    if (planned) {
      planned.times -= 1;
      if (planned.times <= 0) this.failures.get(method)?.shift();
      return planned.failure;
    }
    const handler = this.methods[method];
    if (!handler)
      return { status: 404, error: 'ERROR_METHOD_NOT_FOUND', description: 'Method not found!' };
    return handler(params);
  }

  /** The query string and a JSON or form body, merged: the REST API takes either. */
  private async params(url: URL, request: http.IncomingMessage): Promise<Record<string, unknown>> {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (body === '') return params;
    if ((request.headers['content-type'] ?? '').includes('application/json')) {
      try {
        return { ...params, ...(JSON.parse(body) as Record<string, unknown>) };
      } catch {
        return params;
      }
    }
    return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
  }

  /** The `time` object of an answer (REST docs limits.md, "Resource Intensity Limits"). */
  private time(started: number) {
    const seconds = (performance.now() - started) / 1000;
    const now = new Date();
    return {
      start: now.getTime() / 1000 - seconds,
      finish: now.getTime() / 1000,
      duration: seconds,
      processing: seconds,
      date_start: now.toISOString(),
      date_finish: now.toISOString(),
      operating_reset_at: Math.floor(now.getTime() / 1000) + 600,
      operating: 0,
    };
  }
}

/** The JSON body of `crm.deal.list`; Bitrix24 takes the keys in either case. */
export interface DealListBody {
  readonly [key: string]: unknown;
}

/** The page size of every list method: fixed, the caller cannot change it. */
const PAGE = 50;
const DATE_FIELDS = new Set(['DATE_CREATE', 'DATE_MODIFY', 'CLOSEDATE', 'BEGINDATE', 'MOVED_TIME']);
const NUMBER_FIELDS = new Set([
  'ID',
  'CATEGORY_ID',
  'ASSIGNED_BY_ID',
  'OPPORTUNITY',
  'COMPANY_ID',
  'CONTACT_ID',
]);

/** Compares two field values as Bitrix24 does for the field's type (dates as instants). */
function compare(field: string, a: unknown, b: unknown): number {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  if (DATE_FIELDS.has(field)) {
    // An empty date ("") sorts first, as in the portal's database (NULL).
    const time = (value: unknown) => (text(value) === '' ? -Infinity : Date.parse(text(value)));
    return time(a) - time(b);
  }
  if (NUMBER_FIELDS.has(field)) return Number(text(a)) - Number(text(b));
  return text(a).localeCompare(text(b));
}

/** Longest first, so `>=` is not read as `>` of a field named `=…`. */
const PREFIXES = ['>=', '<=', '!=', '>', '<', '!@', '@', '!', '='] as const;

/** A deal or a lead: the list methods of both filter and order the same way. */
type Entity = Readonly<Record<string, string | undefined>>;

function matches(deal: Entity, key: string, expected: unknown): boolean {
  const prefix = PREFIXES.find((candidate) => key.startsWith(candidate)) ?? '';
  const field = key.slice(prefix.length);
  const actual = deal[field];
  if (prefix === '@' || prefix === '!@') {
    const list = (Array.isArray(expected) ? expected : [expected]).map(String);
    return list.includes(String(actual ?? '')) === (prefix === '@');
  }
  // An empty value never passes a comparison (SQL's NULL).
  if (['>', '>=', '<', '<='].includes(prefix) && (actual === undefined || actual === '')) {
    return false;
  }
  const order = compare(field, actual, expected);
  switch (prefix) {
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '!':
    case '!=':
      return order !== 0;
    default:
      return order === 0;
  }
}

/**
 * `crm.deal.list` as Bitrix24 answers it (REST documentation: bitrix24/b24restdocs
 * api-reference/crm/deals/crm-deal-list.md, and the Russian bitrix-tools/b24-rest-docs
 * api-reference/crm/deals/crm-deal-list.md; settings/how-to-call-rest-api/list-methods-pecularities.md):
 * - `filter` keys with an operation prefix (`>=`, `>`, `<=`, `<`, `@` IN, `!@`, `!`/`!=`, `=` or
 *   none for equality), dates compared as instants whatever the offset they are written with;
 * - `order` `{ FIELD: 'ASC' | 'DESC' }`, applied in the order given;
 * - `select` the fields to return (`*` every standard field, `UF_*` every user field);
 * - `start` the offset, the page being always 50 deals;
 * - the answer `{ result: [deals], next: <start of the next page>, total: <all matching> }`,
 *   `next` absent on the last page, every value a string (empty dates as "").
 */
function listDeals(
  deals: readonly Entity[],
  body: DealListBody,
): { result: Record<string, string | null>[]; next?: number; total: number } {
  const param = (name: string) => body[name] ?? body[name.toUpperCase()];
  const filter = (param('filter') ?? {}) as Record<string, unknown>;
  const order = Object.entries((param('order') ?? {}) as Record<string, string>);
  const select = ((param('select') ?? ['*', 'UF_*']) as unknown[]).map(String);
  const start = Math.max(0, Number.parseInt(String(param('start') ?? 0), 10) || 0);
  const found = deals
    .filter((deal) => Object.entries(filter).every(([key, value]) => matches(deal, key, value)))
    .sort((a, b) => {
      for (const [field, direction] of order) {
        const order = compare(field, a[field], b[field]);
        if (order !== 0) return direction.toUpperCase() === 'DESC' ? -order : order;
      }
      return 0;
    });
  const picked = (deal: Entity) =>
    Object.fromEntries(
      Object.entries(deal).filter(
        ([field]) =>
          select.includes(field) ||
          (select.includes('*') && !field.startsWith('UF_')) ||
          (select.includes('UF_*') && field.startsWith('UF_')),
      ) as [string, string][],
    );
  const page = found.slice(start, start + PAGE).map(picked);
  return {
    result: page,
    ...(start + PAGE < found.length ? { next: start + PAGE } : {}),
    total: found.length,
  };
}
