import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import { notificationDefaults, type AppConfig } from '../config/config.js';
import { ADVISORY_LOCKS, AdvisoryLeader } from '../database/cluster/advisory-lock.js';
import { JobsService } from '../jobs/jobs.service.js';
import { IGNORES_QUIET_HOURS } from '../notifications/kinds.js';
import { DeliveryProbe } from '../notifications/delivery-probe.js';
import { OutboxRepository, type OutboxRecord } from '../notifications/outbox.repository.js';
import { quietUntil } from '../notifications/telegram-pace.js';
import { backoffMs, MAX_ATTEMPTS } from '../notifications/telegram-sender.service.js';
import { MailComposer, MailUnavailableError } from './mail-composer.service.js';
import { MAIL_KINDS, type MailKind } from './mail.templates.js';
import { MailSendError, MailTransport, type MailMessage } from './mail.transport.js';

/** A drain sends for at most this long, then ends (the next one continues). */
const DRAIN_MS = 60_000;
/** Rows read per pass. */
const BATCH = 50;

/** What a restart does with an e-mail left `sending` (see {@link MailSenderService}). */
export const MAIL_INTERRUPTED =
  'interrupted while sending: the SMTP server may or may not have accepted it, so it is not sent again by itself (retry it to send it anyway, with the same Message-ID)';

const isMailKind = (kind: string): kind is MailKind =>
  (MAIL_KINDS as readonly string[]).includes(kind);

/**
 * Sends the outbox's e-mail, as the Telegram sender sends its messages: a job of the
 * `notify-email` queue is a drain that sends every due message; it is queued in the transaction
 * that writes messages and by every process whose probe sees one due (after a crash, a backoff,
 * quiet hours); one drain at a time sends, the holder of an advisory lock.
 *
 * Each message: switched off for its address (or its participant) → skipped; in quiet hours
 * (but the final report and results) → held; rendered (MailComposer) → marked `sending`
 * (committed) → handed to the SMTP server → `sent` with the server's Message-ID. A refusal the
 * server calls temporary (4xx) or a connection that failed is tried again with the outbox's
 * backoff, up to {@link MAX_ATTEMPTS}; a permanent one (5xx) fails the message at once. A process
 * killed between `sending` and `sent` leaves a message whose fate is unknown: the next drain marks
 * it failed with {@link MAIL_INTERRUPTED} rather than send it twice; an admin can retry it.
 */
@Injectable()
export class MailSenderService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MailSender');
  private readonly probe: DeliveryProbe;

  constructor(
    private readonly transport: MailTransport,
    private readonly composer: MailComposer,
    private readonly outbox: OutboxRepository,
    private readonly jobs: JobsService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.probe = new DeliveryProbe('email', { jobs, outbox, logger: this.logger });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.transport.enabled) return;
    await this.probe.start((signal) => this.drain(signal));
  }

  onApplicationShutdown(): void {
    this.probe.stop();
  }

  /** Sends what is due, for at most {@link DRAIN_MS}; nothing when another drain is sending. */
  async drain(signal: AbortSignal): Promise<void> {
    const lock = new AdvisoryLeader(this.dataSource, ADVISORY_LOCKS.mailSender);
    try {
      if (!(await lock.lead())) return;
      const abandoned = await this.outbox.abandonSending('email', MAIL_INTERRUPTED);
      if (abandoned > 0) this.logger.warn(`${abandoned} e-mail(s) were interrupted while sending`);
      const deadline = Date.now() + DRAIN_MS;
      while (Date.now() < deadline && !signal.aborted) {
        const rows = await this.outbox.due('email', BATCH);
        if (rows.length === 0) return;
        for (const row of rows) {
          if (signal.aborted) break;
          await this.deliver(row);
        }
      }
    } finally {
      await lock.close();
    }
  }

  /** One message: sent, failed, skipped, held or put back for a retry. */
  private async deliver(row: OutboxRecord): Promise<void> {
    const email = row.email;
    if (email === null || !isMailKind(row.kind)) {
      await this.outbox.markFailed(row.id, `an e-mail of kind ${row.kind} without an address`);
      return;
    }
    const subjects = [
      `email:${email.trim().toLowerCase()}`,
      ...(row.participantId === null ? [] : [`participant:${row.participantId}`]),
    ];
    if (await this.outbox.switchedOff(subjects, row.kind)) {
      await this.outbox.markSkipped(row.id, `${row.kind} is switched off for this recipient`);
      return;
    }
    if (!IGNORES_QUIET_HOURS.has(row.kind)) {
      const settings = this.config.notifications ?? notificationDefaults();
      const until = quietUntil(new Date(), settings.timeZone, settings.quietHours);
      if (until !== null) {
        await this.outbox.holdUntil(row.id, until);
        return;
      }
    }
    let message: MailMessage;
    try {
      message = await this.composer.compose({
        kind: row.kind,
        email,
        language: row.language,
        payload: row.payload,
        idempotencyKey: row.idempotencyKey,
      });
    } catch (error) {
      if (error instanceof MailUnavailableError) {
        await this.outbox.markFailed(row.id, error.message);
        return;
      }
      // The database was away while reading the report: not the message's fault.
      await this.retryOrFail(row, `rendering failed: ${String(error)}`);
      return;
    }
    if (!(await this.outbox.markSending(row.id))) return;
    try {
      const sent = await this.transport.send(message);
      await this.outbox.markSent(row.id, sent.messageId);
    } catch (error) {
      if (error instanceof MailSendError && !error.retryable) {
        await this.outbox.markFailed(row.id, error.message);
        return;
      }
      await this.retryOrFail(row, error instanceof Error ? error.message : String(error));
    }
  }

  private async retryOrFail(row: OutboxRecord, reason: string): Promise<void> {
    if (row.attempts + 1 >= MAX_ATTEMPTS) {
      await this.outbox.markFailed(row.id, reason);
      return;
    }
    await this.outbox.retryAt(row.id, new Date(Date.now() + backoffMs(row.attempts + 1)), reason);
  }
}
