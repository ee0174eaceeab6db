import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import { DataSource } from 'typeorm';
import { PublicUrl } from '../common/public-url.js';
import { ADVISORY_LOCKS, AdvisoryLeader } from '../database/cluster/advisory-lock.js';
import { describeError, TelegramClient } from './telegram-client.js';
import { TelegramLinksService, type IncomingChat } from './telegram-links.service.js';

/** How often a process that does not poll asks whether it should (the poller died). */
const LEAD_MS = 5_000;
/** Seconds a getUpdates call waits for news (long polling). */
const POLL_TIMEOUT_S = 25;

/**
 * The Telegram bot's updates: `TELEGRAM_BOT_TOKEN` turns it on. Updates come by long polling, or
 * by webhook when `TELEGRAM_WEBHOOK` is on and `PODIUM_PUBLIC_URL` is https. Telegram answers 409
 * to two getUpdates at once, so of several processes only the holder of an advisory lock polls;
 * when it dies its connection and the lock go, and another process takes over within
 * {@link LEAD_MS}. The token is never logged: errors are logged by their Bot API description.
 */
@Injectable()
export class TelegramBotService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Telegram');
  private readonly bot: Bot | null;
  private readonly leader: AdvisoryLeader;
  private leadTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly client: TelegramClient,
    dataSource: DataSource,
    private readonly links: TelegramLinksService,
    private readonly publicUrl: PublicUrl,
  ) {
    this.bot = client.bot;
    this.leader = new AdvisoryLeader(dataSource, ADVISORY_LOCKS.telegramPolling);
    if (this.bot !== null) this.handle(this.bot);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.bot === null || this.client.config === null) return;
    if (this.client.config.webhook) {
      void this.setWebhook();
      return;
    }
    this.leadTimer = setInterval(() => void this.lead(), LEAD_MS);
    this.leadTimer.unref();
    void this.lead();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.leadTimer) clearInterval(this.leadTimer);
    if (this.bot?.isRunning()) await this.bot.stop().catch(() => undefined);
    await this.polling;
    await this.leader.close();
  }

  /** The secret Telegram sends back with each webhook call: derived from the token. */
  webhookSecret(): string | null {
    const config = this.client.config;
    if (config === null) return null;
    return createHash('sha256').update(`podium-webhook:${config.token}`).digest('hex');
  }

  /** A webhook call: checked against the secret, then handled like a polled update. */
  async webhook(secretHeader: string | undefined, update: unknown): Promise<boolean> {
    const secret = this.webhookSecret();
    if (this.bot === null || secret === null || secretHeader === undefined) return false;
    const expected = Buffer.from(secret);
    const given = Buffer.from(secretHeader);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    if (!this.bot.isInited()) await this.bot.init();
    await this.bot.handleUpdate(update as Update);
    return true;
  }

  private async setWebhook(): Promise<void> {
    const bot = this.bot;
    const secret = this.webhookSecret();
    if (bot === null || secret === null) return;
    try {
      await bot.api.setWebhook(this.publicUrl.of('/api/telegram/webhook'), {
        secret_token: secret,
        allowed_updates: ['message'],
      });
      this.logger.log('Telegram webhook set');
    } catch (error) {
      this.logger.warn(`setWebhook failed: ${describeError(error)}`);
    }
  }

  private async lead(): Promise<void> {
    if (this.stopped || this.bot === null) return;
    const leading = await this.leader.lead();
    if (!leading) {
      if (this.bot.isRunning()) await this.bot.stop().catch(() => undefined);
      return;
    }
    if (this.polling !== null) return;
    const bot = this.bot;
    this.polling = (async () => {
      try {
        await bot.init();
        this.logger.log(`polling Telegram as @${bot.botInfo.username}`);
        // Deletes a webhook left from an earlier setting first (grammY does), then polls.
        await bot.start({ allowed_updates: ['message'], timeout: POLL_TIMEOUT_S });
      } catch (error) {
        this.logger.warn(`polling Telegram stopped: ${describeError(error)}`);
      } finally {
        this.polling = null;
      }
    })();
  }

  private handle(bot: Bot): void {
    const answer =
      (work: (chat: IncomingChat, argument: string) => Promise<string>) => async (ctx: Context) => {
        const chat = incomingChat(ctx);
        if (chat === null) return;
        const text = await work(chat, typeof ctx.match === 'string' ? ctx.match.trim() : '');
        await ctx.reply(text);
      };
    bot.command(
      ['start', 'link'],
      answer((chat, code) => this.links.start(chat, code)),
    );
    bot.command(
      'stop',
      answer((chat) => this.links.stop(chat)),
    );
    bot.command(
      'rank',
      answer((chat) => this.links.rank(chat)),
    );
    bot.command(
      'top',
      answer((chat) => this.links.top(chat)),
    );
    bot.command(
      'rules',
      answer((chat) => this.links.rules(chat)),
    );
    bot.catch((error) =>
      this.logger.warn(`a Telegram update failed: ${describeError(error.error)}`),
    );
  }
}

function incomingChat(ctx: Context): IncomingChat | null {
  const chat = ctx.chat;
  if (chat === undefined) return null;
  return {
    chatId: String(chat.id),
    type: chat.type,
    title: 'title' in chat ? (chat.title ?? null) : null,
    languageCode: ctx.from?.language_code ?? null,
  };
}
