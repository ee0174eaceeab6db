import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { GrammyError } from 'grammy';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import { notificationDefaults, type AppConfig } from '../config/config.js';
import { ADVISORY_LOCKS, AdvisoryLeader } from '../database/cluster/advisory-lock.js';
import { JobsService } from '../jobs/jobs.service.js';
import { IGNORES_QUIET_HOURS } from './kinds.js';
import { DeliveryProbe } from './delivery-probe.js';
import { OutboxRepository, type OutboxRecord } from './outbox.repository.js';
import { TelegramChatsRepository } from './telegram-chats.repository.js';
import { describeError, TelegramClient } from './telegram-client.js';
import { quietUntil, TelegramPace } from './telegram-pace.js';

/** A drain sends for at most this long, then ends (the next one continues). */
const DRAIN_MS = 60_000;
/** Rows read per pass. */
const BATCH = 100;
/** A temporary failure is tried again after 2 s, 4 s, 8 s … at most an hour; then it fails. */
export const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** The longest a drain waits for a chat's next slot itself; longer, the row is held. */
const MAX_WAIT_MS = 2_000;

/** What a restart does with a message left `sending` (see {@link TelegramSenderService}). */
export const INTERRUPTED =
  'interrupted while sending: Telegram may or may not have delivered it, so it is not sent again by itself (retry it to send it anyway)';

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(1, attempts));
}

/**
 * Sends the outbox's Telegram messages, on the job system: a job of the `notify-telegram` queue is
 * a drain that sends every due message, within Telegram's limits (see TelegramPace). The job is
 * queued in the transaction that writes messages, and by every process whose probe sees a due
 * message (after a crash, a backoff, quiet hours). One drain at a time sends, the holder of an
 * advisory lock: the pace is kept in its memory.
 *
 * Exactly once: a message is marked `sending` (committed) before sendMessage and `sent` after.
 * The Bot API has no idempotency key, so a process killed between the two leaves a row whose
 * fate is unknown. The next drain (which holds the lock, so that row's sender is gone) marks it
 * `failed` with {@link INTERRUPTED}: at most once for that window of a few milliseconds, rather
 * than a duplicate; an admin can retry it. A crash before `sending` (after the commit of the
 * fact) loses nothing: the row is still `queued` and is sent after the restart, once.
 */
@Injectable()
export class TelegramSenderService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TelegramSender');
  private readonly probe: DeliveryProbe;
  private readonly pace = new TelegramPace();

  constructor(
    private readonly client: TelegramClient,
    private readonly outbox: OutboxRepository,
    private readonly chats: TelegramChatsRepository,
    private readonly jobs: JobsService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.probe = new DeliveryProbe('telegram', { jobs, outbox, logger: this.logger });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.client.bot === null) return;
    await this.probe.start((signal) => this.drain(signal));
  }

  onApplicationShutdown(): void {
    this.probe.stop();
  }

  /** Sends what is due, for at most {@link DRAIN_MS}; nothing when another drain is sending. */
  async drain(signal: AbortSignal): Promise<void> {
    const lock = new AdvisoryLeader(this.dataSource, ADVISORY_LOCKS.telegramSender);
    try {
      if (!(await lock.lead())) return;
      const abandoned = await this.outbox.abandonSending('telegram', INTERRUPTED);
      if (abandoned > 0)
        this.logger.warn(`${abandoned} Telegram message(s) were interrupted while sending`);
      const deadline = Date.now() + DRAIN_MS;
      while (Date.now() < deadline && !signal.aborted) {
        const rows = await this.outbox.due('telegram', BATCH);
        if (rows.length === 0) return;
        let sent = 0;
        let soonest = Number.POSITIVE_INFINITY;
        // Chats found waiting for their slot in this pass: their later messages step aside
        // (held until then), so a chat with many messages does not hold up the others.
        const waiting = new Map<string, number>();
        for (const row of rows) {
          if (signal.aborted) break;
          const slot = row.chatId === null ? undefined : waiting.get(row.chatId);
          if (slot !== undefined) {
            await this.outbox.holdUntil(row.id, new Date(slot));
            continue;
          }
          const waited = await this.deliver(row);
          if (waited === null) sent += 1;
          else {
            soonest = Math.min(soonest, waited);
            if (row.chatId !== null) waiting.set(row.chatId, waited);
          }
        }
        if (sent === 0) {
          // Every due row waits for its chat's slot: sleep until the first one.
          const wait = Math.max(50, Math.min(MAX_WAIT_MS, soonest - Date.now()));
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    } finally {
      await lock.close();
    }
  }

  /**
   * One message: answers null when it was dealt with (sent, failed, skipped, held), or the time
   * its chat's next slot opens when it must wait a moment.
   */
  private async deliver(row: OutboxRecord): Promise<number | null> {
    const chatId = row.chatId;
    if (chatId === null) {
      await this.outbox.markFailed(row.id, 'a Telegram message without a chat');
      return null;
    }
    const chat = await this.chats.find(chatId);
    if (chat === null) {
      await this.outbox.markSkipped(row.id, 'the chat is not linked any more');
      return null;
    }
    if (chat.blocked) {
      await this.outbox.markSkipped(row.id, 'the chat blocked the bot');
      return null;
    }
    const subjects = [
      `chat:${chatId}`,
      ...(row.participantId === null ? [] : [`participant:${row.participantId}`]),
    ];
    if (await this.outbox.switchedOff(subjects, row.kind)) {
      await this.outbox.markSkipped(row.id, `${row.kind} is switched off for this recipient`);
      return null;
    }
    const settings = this.config.notifications ?? notificationDefaults();
    if (!IGNORES_QUIET_HOURS.has(row.kind)) {
      const until = quietUntil(new Date(), settings.timeZone, settings.quietHours);
      if (until !== null) {
        await this.outbox.holdUntil(row.id, until);
        return null;
      }
    }
    const now = Date.now();
    const readyAt = this.pace.readyAt(chatId, now);
    if (readyAt > now) {
      if (readyAt - now > MAX_WAIT_MS) {
        await this.outbox.holdUntil(row.id, new Date(readyAt));
        return null;
      }
      return readyAt;
    }
    const text = typeof row.payload['text'] === 'string' ? row.payload['text'] : null;
    if (text === null) {
      await this.outbox.markFailed(row.id, 'the message has no text');
      return null;
    }
    if (!(await this.outbox.markSending(row.id))) return null;
    this.pace.record(chatId, Date.now());
    try {
      const message = await this.sendMessage(chatId, text);
      await this.outbox.markSent(row.id, String(message.message_id));
    } catch (error) {
      await this.failed(row, chatId, error);
    }
    return null;
  }

  private sendMessage(chatId: string, text: string) {
    const bot = this.client.bot;
    if (bot === null) throw new Error('the Telegram bot is off');
    return bot.api.sendMessage(chatId, text, { link_preview_options: { is_disabled: true } });
  }

  /** Records a failed send: retried later, or given up, by what Telegram said. */
  private async failed(row: OutboxRecord, chatId: string, error: unknown): Promise<void> {
    const reason = describeError(error);
    if (error instanceof GrammyError) {
      if (error.error_code === 429) {
        const seconds = error.parameters.retry_after ?? 1;
        const until = Date.now() + seconds * 1_000;
        this.pace.pause(chatId, until);
        // Flood control is not the message's fault: the attempt does not count against it.
        await this.outbox.retryAt(row.id, new Date(until), reason, { countAttempt: false });
        return;
      }
      if (error.error_code === 403) {
        // "Forbidden: bot was blocked by the user" (or kicked from the group): nothing more goes there.
        await this.chats.markBlocked(chatId);
        await this.outbox.markSkipped(row.id, reason);
        return;
      }
      if (error.error_code >= 400 && error.error_code < 500) {
        await this.outbox.markFailed(row.id, reason);
        return;
      }
    }
    // 5xx, network: tried again with backoff.
    if (row.attempts + 1 >= MAX_ATTEMPTS) {
      await this.outbox.markFailed(row.id, reason);
      return;
    }
    await this.outbox.retryAt(row.id, new Date(Date.now() + backoffMs(row.attempts + 1)), reason);
  }
}
