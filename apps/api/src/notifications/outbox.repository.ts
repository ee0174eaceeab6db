import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryOne, queryRows, safeInteger, type Queryable } from '../database/sql.js';
import type {
  Language,
  NotificationChannel,
  NotificationKind,
  NotificationState,
} from './kinds.js';

/** One message to write to the outbox. */
export interface OutboxMessage {
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  /** Whose message it is, when it is a participant's (switches, throttling, the admin list). */
  readonly participantId?: string | null;
  /** Telegram: the chat (a bigint, as a string: group ids are large negative numbers). */
  readonly chatId?: string | null;
  /** E-mail: the address. */
  readonly email?: string | null;
  readonly language: Language;
  /**
   * What the channel's sender needs, rendered when the fact is known: Telegram `{ text }`;
   * e-mail whatever its sender reads (subject, text, html, attachments).
   */
  readonly payload: Readonly<Record<string, unknown>>;
  /**
   * Unique over all messages: the same fact written twice (a retried transaction, two processes)
   * inserts nothing the second time. Built from the fact and the recipient, e.g.
   * `place:<contest>:<seq>:<participant>:tg:<chat>`.
   */
  readonly idempotencyKey: string;
}

/** A stored message, as the senders and the admin list read it. */
export interface OutboxRecord {
  readonly id: number;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  readonly participantId: string | null;
  readonly chatId: string | null;
  readonly email: string | null;
  readonly language: Language;
  readonly payload: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly state: NotificationState;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly providerMessageId: string | null;
}

interface Row {
  id: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  participant_id: string | null;
  chat_id: string | null;
  email: string | null;
  language: Language;
  payload: Record<string, unknown>;
  idempotency_key: string;
  state: NotificationState;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  provider_message_id: string | null;
}

function toRecord(row: Row): OutboxRecord {
  return {
    id: safeInteger(row.id, 'notifications.id'),
    kind: row.kind,
    channel: row.channel,
    participantId: row.participant_id,
    chatId: row.chat_id,
    email: row.email,
    language: row.language,
    payload: row.payload,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    providerMessageId: row.provider_message_id,
  };
}

/** Errors are kept short: a provider's message, never a token or a whole response. */
function clip(error: string): string {
  return error.length > 500 ? `${error.slice(0, 497)}...` : error;
}

/**
 * The outbox (notifications table). Producers insert in their own transaction; each channel's
 * sender moves a row queued → sending → sent | failed | skipped (or back to queued for a retry or
 * quiet hours). `sending` is written and committed before the provider is called: see
 * `TelegramSender` for what a restart does with a row left there.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the messages (one statement); answers the channels of those that were new. */
  async insert(
    db: Queryable,
    messages: readonly OutboxMessage[],
  ): Promise<Set<NotificationChannel>> {
    if (messages.length === 0) return new Set();
    const rows = await queryRows<{ channel: NotificationChannel }>(
      db,
      `INSERT INTO notifications
              (kind, channel, participant_id, chat_id, email, language, payload, idempotency_key)
       SELECT m.kind, m.channel, m.participant_id, m.chat_id::bigint, m.email, m.language,
              m.payload, m.idempotency_key
         FROM jsonb_to_recordset($1::jsonb) AS m(
                kind text, channel text, participant_id text, chat_id text, email text,
                language text, payload jsonb, idempotency_key text)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING channel`,
      [
        JSON.stringify(
          messages.map((message) => ({
            kind: message.kind,
            channel: message.channel,
            participant_id: message.participantId ?? null,
            chat_id: message.chatId ?? null,
            email: message.email ?? null,
            language: message.language,
            payload: message.payload,
            idempotency_key: message.idempotencyKey,
          })),
        ),
      ],
    );
    return new Set(rows.map((row) => row.channel));
  }

  /** Is a message of this channel due now? (A cheap probe of the partial index.) */
  async anyDue(channel: NotificationChannel): Promise<boolean> {
    const row = await queryOne<{ id: string }>(
      this.dataSource.manager,
      `SELECT id FROM notifications
        WHERE state = 'queued' AND channel = $1 AND next_attempt_at <= now() LIMIT 1`,
      [channel],
    );
    return row !== null;
  }

  /**
   * Is a message of this channel marked `sending`? Outside a running drain (which holds the
   * sender's lock) such a row was left by a process that died, and a drain must judge it.
   */
  async anySending(channel: NotificationChannel): Promise<boolean> {
    const row = await queryOne<{ id: string }>(
      this.dataSource.manager,
      `SELECT id FROM notifications WHERE state = 'sending' AND channel = $1 LIMIT 1`,
      [channel],
    );
    return row !== null;
  }

  /** The earliest due messages of the channel, oldest first. */
  async due(channel: NotificationChannel, limit: number): Promise<OutboxRecord[]> {
    const rows = await queryRows<Row>(
      this.dataSource.manager,
      `SELECT * FROM notifications
        WHERE state = 'queued' AND channel = $1 AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id LIMIT $2`,
      [channel, limit],
    );
    return rows.map(toRecord);
  }

  /** When the next queued message of the channel falls due (null: none is queued). */
  async nextDueAt(channel: NotificationChannel): Promise<Date | null> {
    const row = await queryOne<{ at: Date | null }>(
      this.dataSource.manager,
      `SELECT min(next_attempt_at) AS at FROM notifications WHERE state = 'queued' AND channel = $1`,
      [channel],
    );
    return row?.at ?? null;
  }

  /**
   * queued → sending, counting the attempt; false when the row was not queued any more (an admin
   * or another sender took it). Committed before the provider is called.
   */
  async markSending(id: number): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE notifications SET state = 'sending', attempts = attempts + 1
        WHERE id = $1 AND state = 'queued' RETURNING id`,
      [id],
    );
    return rows.length === 1;
  }

  async markSent(id: number, providerMessageId: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET state = 'sent', sent_at = now(), provider_message_id = $2,
              last_error = NULL
        WHERE id = $1`,
      [id, providerMessageId],
    );
  }

  /** Back to queued, to be tried again at `at` (a temporary failure or a 429). */
  async retryAt(
    id: number,
    at: Date,
    error: string,
    { countAttempt = true }: { countAttempt?: boolean } = {},
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET state = 'queued', next_attempt_at = $2, last_error = $3,
              attempts = attempts - CASE WHEN $4 THEN 0 ELSE 1 END
        WHERE id = $1`,
      [id, at, clip(error), countAttempt],
    );
  }

  /**
   * The channel's held messages (quiet hours, a chat's pace) due again now, for a process that
   * starts to judge them by its own settings: a restart with other quiet hours sends what they no
   * longer hold, and its first drain holds again what they still do. A message waiting after a
   * failure (it has a `last_error`) keeps its backoff. Answers how many were released.
   */
  async releaseHolds(channel: NotificationChannel): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE notifications SET next_attempt_at = now()
        WHERE state = 'queued' AND channel = $1 AND next_attempt_at > now() AND last_error IS NULL
        RETURNING id`,
      [channel],
    );
    return rows.length;
  }

  /** Held (quiet hours, a chat's pace) without counting an attempt. */
  async holdUntil(id: number, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET next_attempt_at = $2 WHERE id = $1 AND state = 'queued'`,
      [id, at],
    );
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET state = 'failed', last_error = $2 WHERE id = $1`,
      [id, clip(error)],
    );
  }

  /** Not sent on purpose (switched off, the chat blocked the bot or was unlinked). */
  async markSkipped(id: number, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET state = 'skipped', last_error = $2 WHERE id = $1`,
      [id, clip(reason)],
    );
  }

  /**
   * Rows of the channel left in `sending` by a sender that is gone (its process was killed
   * between recording the attempt and recording the outcome): failed with `reason`, never sent
   * again by themselves. Called only by the channel's one sender, before it sends anything.
   */
  async abandonSending(channel: NotificationChannel, reason: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE notifications SET state = 'failed', last_error = $2
        WHERE state = 'sending' AND channel = $1 RETURNING id`,
      [channel, reason],
    );
    return rows.length;
  }

  /** The latest messages, newest first (the admin list). */
  async recent(options: {
    limit: number;
    state?: NotificationState | undefined;
    channel?: NotificationChannel | undefined;
  }): Promise<OutboxRecord[]> {
    const rows = await queryRows<Row>(
      this.dataSource.manager,
      `SELECT * FROM notifications
        WHERE ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR channel = $3)
        ORDER BY created_at DESC, id DESC LIMIT $1`,
      [options.limit, options.state ?? null, options.channel ?? null],
    );
    return rows.map(toRecord);
  }

  async find(id: number): Promise<OutboxRecord | null> {
    const row = await queryOne<Row>(
      this.dataSource.manager,
      'SELECT * FROM notifications WHERE id = $1',
      [id],
    );
    return row === null ? null : toRecord(row);
  }

  /** A failed (or skipped) message queued again now; null when there is no such message. */
  async requeue(id: number): Promise<OutboxRecord | null> {
    const row = await queryOne<Row>(
      this.dataSource.manager,
      `UPDATE notifications SET state = 'queued', next_attempt_at = now()
        WHERE id = $1 AND state IN ('failed', 'skipped') RETURNING *`,
      [id],
    );
    return row === null ? null : toRecord(row);
  }

  /** When the participant last got a message of this kind (throttling), or null. */
  async lastOfKind(
    db: Queryable,
    participantId: string,
    kind: NotificationKind,
  ): Promise<Date | null> {
    const row = await queryOne<{ created_at: Date }>(
      db,
      `SELECT created_at FROM notifications WHERE participant_id = $1 AND kind = $2
        ORDER BY created_at DESC LIMIT 1`,
      [participantId, kind],
    );
    return row?.created_at ?? null;
  }

  /** Is the kind switched off for any of these subjects (`participant:<id>`, `chat:<id>`, …)? */
  async switchedOff(subjects: readonly string[], kind: NotificationKind): Promise<boolean> {
    const row = await queryOne<{ off: boolean }>(
      this.dataSource.manager,
      `SELECT true AS off FROM notification_switches
        WHERE subject = ANY($1::text[]) AND kind = $2 AND NOT enabled LIMIT 1`,
      [subjects, kind],
    );
    return row !== null;
  }

  /** Switches a kind on or off for a subject. */
  async setSwitch(subject: string, kind: NotificationKind, enabled: boolean): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_switches (subject, kind, enabled) VALUES ($1, $2, $3)
       ON CONFLICT (subject, kind) DO UPDATE SET enabled = $3, updated_at = now()`,
      [subject, kind, enabled],
    );
  }

  /** Every switch of a subject that differs from the default (on). */
  async switchesOf(subject: string): Promise<{ kind: NotificationKind; enabled: boolean }[]> {
    return queryRows<{ kind: NotificationKind; enabled: boolean }>(
      this.dataSource.manager,
      'SELECT kind, enabled FROM notification_switches WHERE subject = $1 ORDER BY kind',
      [subject],
    );
  }
}
