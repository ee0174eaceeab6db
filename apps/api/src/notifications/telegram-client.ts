import { Inject, Injectable, Logger } from '@nestjs/common';
import { Bot } from 'grammy';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig, TelegramConfig } from '../config/config.js';

/**
 * The grammY bot of this process (null while `TELEGRAM_BOT_TOKEN` is unset), on
 * `TELEGRAM_API_ROOT`, and its username from getMe. The sender calls the Bot API through it, the
 * poller or the webhook feeds it updates.
 */
@Injectable()
export class TelegramClient {
  private readonly logger = new Logger('Telegram');
  readonly bot: Bot | null;
  readonly config: TelegramConfig | null;
  private me: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.config = config.telegram ?? null;
    this.bot =
      this.config === null
        ? null
        : new Bot(this.config.token, { client: { apiRoot: this.config.apiRoot } });
  }

  /** The bot's username from getMe (asked once, again after a failure); null when off. */
  async username(): Promise<string | null> {
    const bot = this.bot;
    if (bot === null) return null;
    if (bot.isInited()) return bot.botInfo.username;
    this.me ??= bot.api.getMe().then(
      (me) => me.username,
      (error: unknown) => {
        this.me = null;
        throw error;
      },
    );
    try {
      return await this.me;
    } catch (error) {
      this.logger.warn(`getMe failed: ${describeError(error)}`);
      return null;
    }
  }
}

/** An error as a log line: the Bot API's description, never a URL (it holds the token). */
export function describeError(error: unknown): string {
  const hide = (text: string) => text.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot<token>');
  if (typeof error === 'object' && error !== null) {
    const { error_code: code, description } = error as {
      error_code?: unknown;
      description?: unknown;
    };
    if (typeof description === 'string') return hide(`${String(code ?? '')} ${description}`.trim());
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === 'string') return hide(`${String(name ?? 'Error')}: ${message}`);
  }
  return hide(String(error));
}
