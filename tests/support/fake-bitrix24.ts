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
  | { kind: 'broken' };

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
  /** Every call received: method, path (without the webhook code) and the deal id. */
  readonly calls: { path: string; id: string | null; at: number }[] = [];
  /** Delay before every answer. */
  delayMs = 0;
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
    this.calls.push({ path: url.pathname.replace(this.code, '<code>'), id, at: Date.now() });
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
    const method = url.pathname.slice(prefix.length);
    if (method !== 'crm.deal.get.json') {
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
