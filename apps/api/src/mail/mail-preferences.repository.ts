import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows, type Queryable } from '../database/sql.js';
import type { MailKind } from './mail.templates.js';

/** The subject of an address's switches among the notification switches. */
const subjectOf = (email: string) => `email:${email.trim().toLowerCase()}`;

/**
 * The kinds of e-mail each address switched off, kept with every other per-kind switch
 * (`notification_switches`, subject `email:<address>`): keyed by the address, not a user or
 * participant, because the unsubscribe link is whoever receives the mail's to use.
 */
@Injectable()
export class MailPreferencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the switch-off; doing it twice is the same as once. */
  async unsubscribe(email: string, kind: MailKind): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_switches (subject, kind, enabled) VALUES ($1, $2, false)
       ON CONFLICT (subject, kind) DO UPDATE SET enabled = false, updated_at = now()`,
      [subjectOf(email), kind],
    );
  }

  /** Of these addresses, those that switched `kind` off (lower-cased). */
  async unsubscribed(
    emails: readonly string[],
    kind: MailKind,
    db: Queryable = this.dataSource,
  ): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const rows = await queryRows<{ subject: string }>(
      db,
      `SELECT subject FROM notification_switches
        WHERE kind = $2 AND NOT enabled AND subject = ANY ($1::text[])`,
      [emails.map(subjectOf), kind],
    );
    return new Set(rows.map((row) => row.subject.slice('email:'.length)));
  }
}
