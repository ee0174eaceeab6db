import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig, MailConfig } from '../config/config.js';

/** A file sent with a message (the report's CSV). */
export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** One message, rendered: both bodies, and what identifies it. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments?: readonly MailAttachment[];
  /**
   * The message's idempotency key: its `Message-ID` is built on it, so a copy sent again after a
   * crash between sending and recording it carries the same id (and mail systems that dedupe on
   * it show one).
   */
  readonly key: string;
  /** The one-click unsubscribe link (RFC 8058), if the message's kind can be switched off. */
  readonly unsubscribeUrl?: string;
}

export interface MailSent {
  readonly messageId: string;
  /** The server's last reply (`250 OK: queued as …`). */
  readonly response: string;
}

/**
 * A failed send, told apart by what to do next: `retryable` for a connection that failed or a
 * temporary SMTP reply (4xx: mailbox busy, greylisting, too many connections), permanent for a
 * 5xx reply (no such mailbox, refused message), which the same message would get again. The
 * message never holds the SMTP URL's credentials.
 */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly responseCode: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** Errors about the message itself, not the connection: sending it again fails the same way. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'ECONFIG']);

/**
 * Classifies a nodemailer error. RFC 5321: every 5yz reply is a permanent refusal except 503
 * (bad sequence of commands: the session's state, not the message, so a new connection can
 * succeed); every 4yz reply is transient. Without a reply code, an error of the envelope or
 * message is permanent and the rest (DNS, connection refused, socket, timeout, TLS) retryable.
 * `secrets` (the SMTP URL's user and password) are cut out of the text.
 */
export function classifyMailError(error: unknown, secrets: readonly string[] = []): MailSendError {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : null;
  const code = typeof fields.code === 'string' ? fields.code : null;
  let message = typeof fields.message === 'string' ? fields.message : String(error);
  for (const secret of secrets) {
    if (secret.length > 0) message = message.split(secret).join('***');
  }
  const permanent =
    responseCode !== null
      ? responseCode >= 500 && responseCode < 600 && responseCode !== 503
      : code !== null && PERMANENT_CODES.has(code);
  return new MailSendError(message, !permanent, responseCode, code);
}

/** The user and password of an SMTP URL, decoded, to keep out of every message. */
function credentialsOf(smtpUrl: string): string[] {
  const url = new URL(smtpUrl);
  return [url.password, url.username]
    .filter((part) => part !== '')
    .flatMap((part) => [part, decodeURIComponent(part)]);
}

/** Slow servers get this long to answer; a hung connection then fails (retryable). */
const TIMEOUT_MS = 30_000;

/**
 * Sends e-mail over SMTP with nodemailer: on when `SMTP_URL` and `PODIUM_MAIL_FROM` are set.
 * One connection per message (no pool): delivery runs a message at a time per worker, and a pool
 * would hold connections a server may close while idle. Nothing here logs; callers record the
 * outcome.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter | null;
  private readonly secrets: readonly string[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const mail: MailConfig | null = config.mail ?? null;
    this.secrets = mail === null ? [] : credentialsOf(mail.smtpUrl);
    this.transporter =
      mail === null
        ? null
        : nodemailer.createTransport(
            {
              url: mail.smtpUrl,
              connectionTimeout: TIMEOUT_MS,
              greetingTimeout: TIMEOUT_MS,
              socketTimeout: TIMEOUT_MS,
              logger: false,
              debug: false,
            },
            { from: mail.from },
          );
  }

  /** Is e-mail configured? Without it no e-mail message is enqueued. */
  get enabled(): boolean {
    return this.transporter !== null;
  }

  async send(message: MailMessage): Promise<MailSent> {
    if (this.transporter === null) {
      throw new MailSendError(
        'e-mail is off: set SMTP_URL and PODIUM_MAIL_FROM',
        false,
        null,
        null,
      );
    }
    try {
      const info = (await this.transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${message.key}@podium>`,
        attachments: (message.attachments ?? []).map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          content: attachment.content,
        })),
        ...(message.unsubscribeUrl === undefined
          ? {}
          : {
              list: { unsubscribe: { url: message.unsubscribeUrl, comment: 'Unsubscribe' } },
              headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
            }),
      })) as { messageId: string; response: string };
      return { messageId: info.messageId, response: info.response };
    } catch (error) {
      throw classifyMailError(error, this.secrets);
    }
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
