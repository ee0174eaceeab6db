import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne, queryRows, type Queryable } from '../database/sql.js';
import { languageOf, type Language } from './kinds.js';

/** What a link code or a chat is linked to: a participant, a team, or the whole company. */
export type ChatSubject =
  { readonly participantId: string } | { readonly teamId: string } | { readonly company: true };

/** A linked chat as the senders see it. */
export interface LinkedChat {
  readonly chatId: string;
  readonly participantId: string | null;
  readonly teamId: string | null;
  readonly company: boolean;
  readonly blocked: boolean;
  /** The participant's language; Russian for group chats. */
  readonly language: Language;
}

interface ChatRow {
  chat_id: string;
  participant_id: string | null;
  team_id: string | null;
  company: boolean;
  blocked_at: Date | null;
  language: string | null;
}

function toChat(row: ChatRow): LinkedChat {
  return {
    chatId: row.chat_id,
    participantId: row.participant_id,
    teamId: row.team_id,
    company: row.company,
    blocked: row.blocked_at !== null,
    language: languageOf(row.language),
  };
}

const SELECT_CHATS = `
  SELECT c.chat_id::text AS chat_id, c.participant_id, c.team_id, c.company, c.blocked_at,
         p.language
    FROM telegram_chats c LEFT JOIN participants p ON p.id = c.participant_id`;

function subjectColumns(subject: ChatSubject): [string | null, string | null, boolean] {
  if ('participantId' in subject) return [subject.participantId, null, false];
  if ('teamId' in subject) return [null, subject.teamId, false];
  return [null, null, true];
}

/** Telegram chats linked to participants, teams and the company, and the codes that link them. */
@Injectable()
export class TelegramChatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertCode(codeHash: string, subject: ChatSubject, expiresAt: Date): Promise<void> {
    const [participantId, teamId, company] = subjectColumns(subject);
    await this.dataSource.query(
      `INSERT INTO telegram_link_codes (code_hash, participant_id, team_id, company, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [codeHash, participantId, teamId, company, expiresAt],
    );
  }

  /**
   * Uses a code: marks it used by the chat and answers what it links, or null when it is unknown,
   * used or expired. In the caller's transaction, which links the chat.
   */
  async useCode(
    manager: EntityManager,
    codeHash: string,
    chatId: string,
  ): Promise<ChatSubject | null> {
    const row = await queryOne<{ participant_id: string | null; team_id: string | null }>(
      manager,
      `UPDATE telegram_link_codes SET used_at = now(), used_by_chat = $2
        WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
        RETURNING participant_id, team_id`,
      [codeHash, chatId],
    );
    if (row === null) return null;
    if (row.participant_id !== null) return { participantId: row.participant_id };
    if (row.team_id !== null) return { teamId: row.team_id };
    return { company: true };
  }

  /** Links the chat to the subject (a chat has one subject: linking again replaces it). */
  async link(
    manager: EntityManager,
    chatId: string,
    subject: ChatSubject,
    title: string | null,
  ): Promise<void> {
    const [participantId, teamId, company] = subjectColumns(subject);
    await manager.query(
      `INSERT INTO telegram_chats (chat_id, participant_id, team_id, company, title)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (chat_id) DO UPDATE
         SET participant_id = $2, team_id = $3, company = $4, title = $5, linked_at = now(),
             blocked_at = NULL`,
      [chatId, participantId, teamId, company, title],
    );
  }

  /** Unlinks a chat; answers whether it was linked. */
  async unlinkChat(chatId: string): Promise<boolean> {
    const rows = await queryRows<{ chat_id: string }>(
      this.dataSource.manager,
      'DELETE FROM telegram_chats WHERE chat_id = $1 RETURNING chat_id',
      [chatId],
    );
    return rows.length > 0;
  }

  /** Unlinks every chat of a participant; answers how many. */
  async unlinkParticipant(participantId: string): Promise<number> {
    const rows = await queryRows<{ chat_id: string }>(
      this.dataSource.manager,
      'DELETE FROM telegram_chats WHERE participant_id = $1 RETURNING chat_id',
      [participantId],
    );
    return rows.length;
  }

  async find(chatId: string): Promise<LinkedChat | null> {
    const row = await queryOne<ChatRow>(
      this.dataSource.manager,
      `${SELECT_CHATS} WHERE c.chat_id = $1`,
      [chatId],
    );
    return row === null ? null : toChat(row);
  }

  /** Every linked group chat (teams and the company). */
  async groups(): Promise<(LinkedChat & { title: string | null })[]> {
    const rows = await queryRows<ChatRow & { title: string | null }>(
      this.dataSource.manager,
      `SELECT c.chat_id::text AS chat_id, c.participant_id, c.team_id, c.company, c.blocked_at,
              NULL AS language, c.title
         FROM telegram_chats c WHERE c.participant_id IS NULL ORDER BY c.linked_at`,
    );
    return rows.map((row) => ({ ...toChat(row), title: row.title }));
  }

  async markBlocked(chatId: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE telegram_chats SET blocked_at = now() WHERE chat_id = $1 AND blocked_at IS NULL',
      [chatId],
    );
  }

  /** The chats of these participants that have not blocked the bot. */
  async ofParticipants(db: Queryable, participantIds: readonly string[]): Promise<LinkedChat[]> {
    if (participantIds.length === 0) return [];
    const rows = await queryRows<ChatRow>(
      db,
      `${SELECT_CHATS} WHERE c.participant_id = ANY($1::text[]) AND c.blocked_at IS NULL`,
      [participantIds],
    );
    return rows.map(toChat);
  }

  /**
   * The group chats that hear about a contest: the company's, and those of the teams of its
   * participants (by the teams' names, as the contest file names them).
   */
  async groupsFor(db: Queryable, teamNames: readonly string[]): Promise<LinkedChat[]> {
    const rows = await queryRows<ChatRow>(
      db,
      `SELECT c.chat_id::text AS chat_id, c.participant_id, c.team_id, c.company, c.blocked_at,
              NULL AS language
         FROM telegram_chats c LEFT JOIN teams t ON t.id = c.team_id
        WHERE c.participant_id IS NULL AND c.blocked_at IS NULL
          AND (c.company OR t.name = ANY($1::text[]))`,
      [teamNames],
    );
    return rows.map(toChat);
  }

  async participantName(id: string): Promise<{ name: string; language: Language } | null> {
    const row = await queryOne<{ name: string; language: string }>(
      this.dataSource.manager,
      'SELECT name, language FROM participants WHERE id = $1',
      [id],
    );
    return row === null ? null : { name: row.name, language: languageOf(row.language) };
  }

  /** A team by its id or its name. */
  async teamId(idOrName: string): Promise<string | null> {
    const row = await queryOne<{ id: string }>(
      this.dataSource.manager,
      `SELECT id FROM teams WHERE name = $1 OR id::text = $1 ORDER BY name = $1 DESC LIMIT 1`,
      [idOrName],
    );
    return row?.id ?? null;
  }

  /** Sets a participant's language; false when there is no such participant. */
  async setLanguage(participantId: string, language: Language): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      'UPDATE participants SET language = $2 WHERE id = $1 RETURNING id',
      [participantId, language],
    );
    return rows.length === 1;
  }

  async teamName(id: string): Promise<string | null> {
    const row = await queryOne<{ name: string }>(
      this.dataSource.manager,
      'SELECT name FROM teams WHERE id = $1',
      [id],
    );
    return row?.name ?? null;
  }
}
