import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A deal as Bitrix24's REST API answers it: every value a string. */
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
  [field: string]: string | undefined;
}

/** What the next calls answer, one entry per call, before falling back to the deal itself. */
export type Scripted =
  | { kind: 'error'; status: number; error: string; description: string }
  | { kind: 'hang' }
  | { kind: 'broken' }
  /** Answered as usual: lets a script fail a later call and not the first ones. */
  | { kind: 'pass' };

/**
 * A local stand-in for a Bitrix24 portal's inbound webhook, answering `crm.deal.get.json` as the
 * real REST API does: `{"result":{…},"time":{…}}`, errors as `{"error":"NOT_FOUND",
 * "error_description":"Not found"}` with 400, `QUERY_LIMIT_EXCEEDED` with 503, a wrong webhook
 * code as 401 `INVALID_CREDENTIALS`; with scripted failures and slowness per call.
 */
export class FakeBitrix24 {
  readonly deals = new Map<string, FakeDeal>();
  /** Answers for the next calls, in order (then the stored deal). */
  readonly script: Scripted[] = [];
  /**
   * Every call received: method, path (without the webhook code), the deal id of a
   * `crm.deal.get`, and the JSON body of a `crm.deal.list`.
   */
  readonly calls: { path: string; id: string | null; at: number; body?: DealListBody }[] = [];
  /** Delay before every answer. */
  delayMs = 0;
  /**
   * Called as each call arrives, before it is answered: a test changes the portal's deals
   * between two calls here, as people working in the CRM do.
   */
  onCall: ((call: { path: string; body?: DealListBody }) => void) | null = null;
  private gate: { promise: Promise<void>; open: () => void } | null = null;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private server: http.Server | null = null;
  readonly code = 'h7k2m9p4x1q8w3e6';
  readonly userId = '1';

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

  private async answer(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://portal');
    const prefix = `/rest/${this.userId}/${this.code}/`;
    const id = url.searchParams.get('id');
    const body = await readJson(request);
    this.calls.push({
      path: url.pathname.replace(this.code, '<code>'),
      id,
      at: Date.now(),
      ...(body === null ? {} : { body }),
    });
    this.onCall?.(this.calls.at(-1) as { path: string; body?: DealListBody });
    for (const waiter of this.waiters.filter((w) => this.calls.length >= w.count)) {
      waiter.resolve();
    }
    this.waiters = this.waiters.filter((w) => this.calls.length < w.count);
    const started = process.hrtime.bigint();
    const scripted = this.script.shift();
    if (this.gate) await this.gate.promise;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const send = (status: number, body: unknown) => {
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const time = () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const now = new Date();
      return {
        start: now.getTime() / 1000 - seconds,
        finish: now.getTime() / 1000,
        duration: seconds,
        processing: seconds,
        date_start: now.toISOString(),
        date_finish: now.toISOString(),
      };
    };
    if (!url.pathname.startsWith(prefix)) {
      send(401, { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' });
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
    const method = url.pathname.slice(prefix.length).replace(/\.json$/, '');
    if (method === 'crm.deal.list') {
      send(200, { ...listDeals([...this.deals.values()], body ?? {}), time: time() });
      return;
    }
    if (method !== 'crm.deal.get') {
      send(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
      return;
    }
    const deal = id === null ? undefined : this.deals.get(id);
    if (id === null || id === '') {
      send(400, { error: '', error_description: 'ID is not defined or invalid.' });
      return;
    }
    if (!deal) {
      send(400, { error: 'NOT_FOUND', error_description: 'Not found' });
      return;
    }
    send(200, { result: deal, time: time() });
  }
}

/** The JSON body of `crm.deal.list`; Bitrix24 takes the keys in either case. */
export interface DealListBody {
  readonly [key: string]: unknown;
}

async function readJson(request: http.IncomingMessage): Promise<DealListBody | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return null;
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as DealListBody) : null;
  } catch {
    return null;
  }
}

/** The page size of every list method: fixed, the caller cannot change it. */
const PAGE = 50;
const DATE_FIELDS = new Set(['DATE_CREATE', 'DATE_MODIFY', 'CLOSEDATE', 'BEGINDATE', 'MOVED_TIME']);
const NUMBER_FIELDS = new Set(['ID', 'CATEGORY_ID', 'ASSIGNED_BY_ID', 'OPPORTUNITY']);

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

function matches(deal: FakeDeal, key: string, expected: unknown): boolean {
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
  deals: readonly FakeDeal[],
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
  const picked = (deal: FakeDeal) =>
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
