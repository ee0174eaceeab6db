import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryOne, queryRows, type Queryable } from '../database/sql.js';
import { languageOf, type Language } from '../notifications/kinds.js';

/** Someone Podium can e-mail: a user's address and who they are. */
export interface MailRecipient {
  readonly userId: string;
  readonly email: string;
  /** The participant a seller is; null for staff. */
  readonly participantId: string | null;
  /** The participant's language; staff have none stored and read Russian (the default). */
  readonly language: Language;
}

interface Row {
  id: string;
  email: string;
  participant_id: string | null;
  language: string | null;
}

const toRecipient = (row: Row): MailRecipient => ({
  userId: row.id,
  email: row.email,
  participantId: row.participant_id,
  language: languageOf(row.language),
});

/**
 * Who has an e-mail address: every user signs in with one. A participant "with an e-mail" is one
 * whose seller login exists; directors are the users with that role.
 */
@Injectable()
export class MailRecipientsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every director, in the caller's transaction when there is one. */
  directors(db: Queryable = this.dataSource): Promise<MailRecipient[]> {
    return queryRows<Row>(
      db,
      "SELECT id, email, participant_id, NULL AS language FROM users WHERE role = 'director' ORDER BY email",
    ).then((rows) => rows.map(toRecipient));
  }

  /** The sellers' logins of these participants (those without one have no address). */
  participants(
    participantIds: readonly string[],
    db: Queryable = this.dataSource,
  ): Promise<MailRecipient[]> {
    if (participantIds.length === 0) return Promise.resolve([]);
    return queryRows<Row>(
      db,
      `SELECT u.id, u.email, u.participant_id, p.language
         FROM users u JOIN participants p ON p.id = u.participant_id
        WHERE u.role = 'seller' AND u.participant_id = ANY ($1::text[]) ORDER BY u.email`,
      [participantIds],
    ).then((rows) => rows.map(toRecipient));
  }

  /** The user behind an address, with their role: whom a message is read as. */
  async byEmail(email: string): Promise<(MailRecipient & { role: string }) | null> {
    const row = await queryOne<Row & { role: string }>(
      this.dataSource,
      `SELECT u.id, u.email, u.participant_id, p.language, u.role
         FROM users u LEFT JOIN participants p ON p.id = u.participant_id
        WHERE u.email = lower(btrim($1))`,
      [email],
    );
    return row === null ? null : { ...toRecipient(row), role: row.role };
  }
}
