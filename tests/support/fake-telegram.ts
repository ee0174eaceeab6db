import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Telegram Bot API server on 127.0.0.1, speaking its HTTP protocol as grammY
 * calls it: `POST <root>/bot<token>/<method>` with a JSON body, answered
 * `{ "ok": true, "result": … }` or `{ "ok": false, "error_code", "description", "parameters"? }`.
 * The shapes follow the Bot API reference (https://core.telegram.org/bots/api: "Making
 * requests", getMe → User, getUpdates → Update[], sendMessage → Message, setWebhook /
 * deleteWebhook → True, ResponseParameters.retry_after) and the types of grammY's
 * `@grammyjs/types`; flood control answers 429 "Too Many Requests: retry after N" with
 * `parameters.retry_after`, a blocked bot 403 "Forbidden: bot was blocked by the user".
 *
 * getUpdates is a real long poll: held until an update past `offset` exists or `timeout` ends.
 */
export interface SentMessage {
  readonly chatId: string;
  readonly text: string;
  /** When the request arrived (ms). */
  readonly at: number;
  /** The answer it got: 200, the scripted error code, or 0 (none: stalled). */
  readonly status: number;
}

type Failure =
  | { readonly kind: 'retryAfter'; readonly seconds: number }
  | { readonly kind: 'blocked' }
  /** Never answered: the request hangs, as when the sender dies in the middle of it. */
  | { readonly kind: 'stall' };

export const BOT_USERNAME = 'podium_test_bot';
const BOT_ID = 7_000_000_001;

export class FakeTelegram {
  readonly sent: SentMessage[] = [];
  readonly calls: string[] = [];
  webhookUrl: string | null = null;
  /** The `secret_token` of the last setWebhook. */
  webhookSecret: string | null = null;
  /** getUpdates refused with 409 because another one was in progress (two pollers). */
  conflicts = 0;
  private readonly pollers: {
    request: http.IncomingMessage;
    response: http.ServerResponse;
    end: (status: 200 | 409) => void;
  }[] = [];
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private readonly waiting = new Set<() => void>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly server: http.Server;
  private tokenSeen: string | null = null;

  private constructor(readonly token: string) {
    this.server = http.createServer((request, response) => void this.handle(request, response));
  }

  static async start(token = '123456789:TEST-token_for_podium'): Promise<FakeTelegram> {
    const fake = new FakeTelegram(token);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `TELEGRAM_API_ROOT` for the API under test. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const wake of this.waiting) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next sendMessage to `chatId` is answered with this error instead. */
  failNext(chatId: string, failure: Failure): void {
    const list = this.failures.get(chatId) ?? [];
    list.push(failure);
    this.failures.set(chatId, list);
  }

  /** A user (or a group member) sends `text` to the bot: an update for the next getUpdates. */
  userSays(
    chatId: number,
    text: string,
    {
      type = chatId < 0 ? 'group' : 'private',
      languageCode = 'ru',
      title = 'Sales',
    }: {
      type?: 'private' | 'group' | 'supergroup';
      languageCode?: string;
      title?: string;
    } = {},
  ): number {
    const from = {
      id: chatId < 0 ? 4242 : chatId,
      is_bot: false,
      first_name: 'Anna',
      language_code: languageCode,
    };
    const chat =
      type === 'private' ? { id: chatId, type, first_name: 'Anna' } : { id: chatId, type, title };
    const command = /^\/\S+/.exec(text)?.[0];
    const updateId = this.nextUpdateId++;
    this.updates.push({
      update_id: updateId,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat,
        from,
        text,
        ...(command === undefined
          ? {}
          : { entities: [{ type: 'bot_command', offset: 0, length: command.length }] }),
      },
    });
    for (const wake of this.waiting) wake();
    return updateId;
  }

  /** An update as Telegram posts it to a webhook (the same shape getUpdates answers). */
  updateFor(chatId: number, text: string): Record<string, unknown> {
    this.userSays(chatId, text);
    const update = this.updates.pop();
    if (update === undefined) throw new Error('no update');
    return update;
  }

  /** Messages the bot sent to the chat and Telegram accepted. */
  delivered(chatId: string | number): SentMessage[] {
    return this.sent.filter(
      (message) => message.chatId === String(chatId) && message.status === 200,
    );
  }

  /** Waits until `predicate` holds of what was sent, or fails after `timeoutMs`. */
  async waitFor(
    predicate: (sent: readonly SentMessage[]) => boolean,
    timeoutMs = 30_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.sent)) {
      if (Date.now() > deadline)
        throw new Error(
          `the fake Bot API did not see it within ${timeoutMs} ms: ${JSON.stringify(this.sent)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Whether any call carried a token other than the bot's (it must never change). */
  get sawOtherToken(): boolean {
    return this.tokenSeen !== null && this.tokenSeen !== this.token;
  }

  private async handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = (raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>;
    if (match === null || match[1] !== this.token) {
      if (match !== null) this.tokenSeen = match[1] ?? null;
      // What Telegram answers an unknown token.
      return this.answer(response, 401, {
        ok: false,
        error_code: 401,
        description: 'Unauthorized',
      });
    }
    const method = match[2] ?? '';
    this.calls.push(method);
    switch (method) {
      case 'getMe':
        return this.answer(response, 200, {
          ok: true,
          result: {
            id: BOT_ID,
            is_bot: true,
            first_name: 'Podium',
            username: BOT_USERNAME,
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          },
        });
      case 'deleteWebhook':
        this.webhookUrl = null;
        return this.answer(response, 200, {
          ok: true,
          result: true,
          description: 'Webhook was deleted',
        });
      case 'setWebhook':
        this.webhookUrl = String(body['url']);
        this.webhookSecret = typeof body['secret_token'] === 'string' ? body['secret_token'] : null;
        return this.answer(response, 200, {
          ok: true,
          result: true,
          description: 'Webhook was set',
        });
      case 'getUpdates':
        return this.getUpdates(request, response, body);
      case 'sendMessage':
        return this.sendMessage(response, body);
      default:
        return this.answer(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  }

  private async getUpdates(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    body: Record<string, unknown>,
  ): Promise<void> {
    // As Telegram does, a getUpdates terminates the one in progress, which gets a 409 (two bot
    // instances polling at once); an abandoned one (its client gone) is simply dropped.
    const previous = this.pollers.pop();
    if (previous !== undefined && !previous.response.destroyed && !previous.request.destroyed) {
      this.conflicts += 1;
      previous.end(409);
    }
    await this.longPoll(request, response, body);
  }

  private async longPoll(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    body: Record<string, unknown>,
  ): Promise<void> {
    const offset = typeof body['offset'] === 'number' ? body['offset'] : 0;
    // Updates below the offset are confirmed: Telegram forgets them.
    this.updates = this.updates.filter((update) => (update['update_id'] as number) >= offset);
    const timeoutMs = (typeof body['timeout'] === 'number' ? body['timeout'] : 0) * 1000;
    const outcome: { status: 200 | 409 } = { status: 200 };
    if (this.updates.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const poller = {
          request,
          response,
          end: (answer: 200 | 409) => {
            outcome.status = answer;
            done();
          },
        };
        const done = () => {
          clearTimeout(timer);
          this.waiting.delete(done);
          const index = this.pollers.indexOf(poller);
          if (index >= 0) this.pollers.splice(index, 1);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.waiting.add(done);
        this.pollers.push(poller);
        request.once('close', done);
      });
    }
    if (response.destroyed || response.writableEnded) return;
    if (outcome.status === 409) {
      return this.answer(response, 409, {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      });
    }
    this.answer(response, 200, { ok: true, result: this.updates.slice(0, 100) });
  }

  private sendMessage(response: http.ServerResponse, body: Record<string, unknown>): void {
    const chatId = String(body['chat_id']);
    const text = String(body['text'] ?? '');
    const failure = this.failures.get(chatId)?.shift();
    if (failure?.kind === 'retryAfter') {
      this.sent.push({ chatId, text, at: Date.now(), status: 429 });
      return this.answer(response, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${failure.seconds}`,
        parameters: { retry_after: failure.seconds },
      });
    }
    if (failure?.kind === 'stall') {
      this.sent.push({ chatId, text, at: Date.now(), status: 0 });
      return;
    }
    if (failure?.kind === 'blocked') {
      this.sent.push({ chatId, text, at: Date.now(), status: 403 });
      return this.answer(response, 403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot was blocked by the user',
      });
    }
    this.sent.push({ chatId, text, at: Date.now(), status: 200 });
    const id = Number(chatId);
    this.answer(response, 200, {
      ok: true,
      result: {
        message_id: this.nextMessageId++,
        from: { id: BOT_ID, is_bot: true, first_name: 'Podium', username: BOT_USERNAME },
        chat:
          id < 0
            ? { id, type: 'group', title: 'Sales' }
            : { id, type: 'private', first_name: 'Anna' },
        date: Math.floor(Date.now() / 1000),
        text,
      },
    });
  }

  private answer(response: http.ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}
