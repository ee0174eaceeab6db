import { createHash, randomBytes } from 'node:crypto';
import { ForbiddenException, Injectable } from '@nestjs/common';
import {
  contestRulesOf,
  COUNTING_STATES,
  describeRules,
  type ContestState,
} from '@podium/contest-model';
import type { Principal } from '../auth/principal.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { conflictError, notFound } from '../common/http-errors.js';
import { StandingsService } from '../standings/standings.service.js';
import type { Language } from './kinds.js';
import { rulesLines, texts } from './messages.js';
import { TelegramChatsRepository, type ChatSubject } from './telegram-chats.repository.js';
import { TelegramClient } from './telegram-client.js';

/** A link code lives this long. */
export const LINK_CODE_TTL_MS = 24 * 60 * 60 * 1000;

/** A code fits Telegram's `start` parameter: up to 64 of A–Z, a–z, 0–9, `_` and `-`. */
export function newLinkCode(): string {
  return randomBytes(24).toString('base64url');
}

export function hashLinkCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** The chat a bot command came from. */
export interface IncomingChat {
  readonly chatId: string;
  readonly type: 'private' | 'group' | 'supergroup' | 'channel';
  readonly title: string | null;
  /** The sender's Telegram language (`language_code`), for chats not linked yet. */
  readonly languageCode: string | null;
}

/**
 * Linking chats without passwords, and what the bot's commands answer. A code is made for a
 * participant (their private chat) or for a team or the company (a group chat), kept as its
 * SHA-256, and used once within 24 hours: `/start <code>` (the `t.me/<bot>?start=<code>` link)
 * or `/link <code>` in a group.
 */
@Injectable()
export class TelegramLinksService {
  constructor(
    private readonly chats: TelegramChatsRepository,
    private readonly contests: ContestRecordsService,
    private readonly standings: StandingsService,
    private readonly client: TelegramClient,
  ) {}

  /** `POST /participants/:id/telegram-link`: a seller only for themself. */
  async participantCode(
    participantId: string,
    principal: Principal,
  ): Promise<{ url: string; code: string; expiresAt: string }> {
    this.checkSelf(participantId, principal);
    const username = await this.botUsername();
    if ((await this.chats.participantName(participantId)) === null) throw notFound('participant');
    const { code, expiresAt } = await this.newCode({ participantId });
    return {
      url: `https://t.me/${username}?start=${code}`,
      code,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** `POST /telegram/chats/link`: a code an admin sends in a group chat. */
  async groupCode(
    body: { team: string } | { company: true },
  ): Promise<{ code: string; command: string; expiresAt: string }> {
    const username = await this.botUsername();
    let subject: ChatSubject;
    if ('team' in body) {
      const teamId = await this.chats.teamId(body.team);
      if (teamId === null) throw notFound('team');
      subject = { teamId };
    } else subject = { company: true };
    const { code, expiresAt } = await this.newCode(subject);
    return { code, command: `/link@${username} ${code}`, expiresAt: expiresAt.toISOString() };
  }

  /** `DELETE /participants/:id/telegram-link`: a seller only their own. */
  async unlinkParticipantAs(participantId: string, principal: Principal): Promise<void> {
    this.checkSelf(participantId, principal);
    await this.unlinkParticipant(participantId);
  }

  /** A seller acts only on their own participant; staff on anyone. */
  checkSelf(participantId: string, principal: Principal): void {
    if (
      principal.kind === 'user' &&
      principal.role === 'seller' &&
      principal.participantId !== participantId
    ) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: 'a seller can link and unlink only their own Telegram',
      });
    }
  }

  async unlinkParticipant(participantId: string): Promise<void> {
    if ((await this.chats.unlinkParticipant(participantId)) === 0)
      throw notFound('linked Telegram chat');
  }

  async unlinkChat(chatId: string): Promise<void> {
    if (!/^-?\d{1,20}$/.test(chatId) || !(await this.chats.unlinkChat(chatId)))
      throw notFound('linked Telegram chat');
  }

  listGroups() {
    return this.chats.groups();
  }

  /** `/start <code>` or `/link <code>`: links the chat; answers the welcome. */
  async start(chat: IncomingChat, code: string): Promise<string> {
    const language = languageOfSender(chat.languageCode);
    if (code === '') {
      const linked = await this.chats.find(chat.chatId);
      return linked === null
        ? texts.startWithoutCode(language)
        : await this.welcome(chat.chatId, language);
    }
    const wrongChat = new Error('a code for another kind of chat');
    const subject = await this.chats
      .transaction(async (manager) => {
        const used = await this.chats.useCode(manager, hashLinkCode(code), chat.chatId);
        if (used === null) return null;
        // A participant's code links a private chat; a team's or the company's, a group. Sent
        // in the wrong one, the code stays unused (the transaction rolls back).
        if ('participantId' in used === (chat.type !== 'private')) throw wrongChat;
        await this.chats.link(manager, chat.chatId, used, chat.title);
        return used;
      })
      .catch((error: unknown) => {
        if (error === wrongChat) return null;
        throw error;
      });
    if (subject === null) return texts.badCode(language);
    return this.welcome(chat.chatId, language);
  }

  /** `/stop`: the chat is unlinked. */
  async stop(chat: IncomingChat): Promise<string> {
    const linked = await this.chats.find(chat.chatId);
    const language = linked?.language ?? languageOfSender(chat.languageCode);
    if (!(await this.chats.unlinkChat(chat.chatId))) return texts.notLinked(language);
    return texts.stopped(language);
  }

  /** `/rank`: the participant's place in each contest they are counted in. */
  async rank(chat: IncomingChat): Promise<string> {
    const linked = await this.chats.find(chat.chatId);
    if (linked?.participantId == null)
      return texts.notLinked(linked?.language ?? languageOfSender(chat.languageCode));
    const rows = [];
    for (const contest of await this.contestsOf(linked.participantId)) {
      const parts = await this.standings.liveParts(contest.id, {
        top: 0,
        focus: linked.participantId,
      });
      if (parts === null) continue;
      rows.push({
        contest: contest.name,
        rank: parts.focus?.row.rank ?? null,
        points: parts.focus?.row.points ?? null,
        of: parts.participants,
      });
    }
    return texts.rank(linked.language, rows);
  }

  /** `/top`: the top 5 of each contest the chat follows. */
  async top(chat: IncomingChat): Promise<string> {
    const linked = await this.chats.find(chat.chatId);
    if (linked === null) return texts.notLinked(languageOfSender(chat.languageCode));
    const boards = [];
    for (const contest of await this.followed(linked)) {
      const parts = await this.standings.liveParts(contest.id, { top: 5 });
      if (parts === null) continue;
      boards.push({
        contest: contest.name,
        rows: parts.top.map((row) => ({ rank: row.rank, name: row.name, points: row.points })),
      });
    }
    return texts.top(linked.language, boards);
  }

  /** `/rules`: each followed contest's rules in three lines. */
  async rules(chat: IncomingChat): Promise<string> {
    const linked = await this.chats.find(chat.chatId);
    if (linked === null) return texts.notLinked(languageOfSender(chat.languageCode));
    const blocks = [];
    for (const contest of await this.followed(linked)) {
      if (contest.frozenFile === null) continue;
      const facts = describeRules({
        rules: contestRulesOf({ file: contest.frozenFile, hasImage: () => false }),
      });
      blocks.push([`«${contest.name}»`, ...rulesLines(linked.language, facts)].join('\n'));
    }
    return blocks.length === 0 ? texts.rank(linked.language, []) : blocks.join('\n\n');
  }

  private async welcome(chatId: string, language: Language): Promise<string> {
    const linked = await this.chats.find(chatId);
    if (linked === null) return texts.notLinked(language);
    if (linked.participantId !== null) {
      const who = await this.chats.participantName(linked.participantId);
      const contests = await this.contestsOf(linked.participantId, [
        'scheduled',
        ...COUNTING_STATES,
      ]);
      return texts.welcomeParticipant(linked.language, {
        name: who?.name ?? linked.participantId,
        contests: contests.map((contest) => contest.name),
      });
    }
    return texts.welcomeGroup(linked.language, {
      subject: linked.teamId === null ? null : await this.chats.teamName(linked.teamId),
    });
  }

  /** The launched contests a participant takes part in. */
  private async contestsOf(
    participantId: string,
    states: readonly ContestState[] = COUNTING_STATES,
  ) {
    const contests = await this.contests.list({ states });
    return contests.filter((contest) =>
      (contest.frozenFile ?? contest.definition).participants.some((p) => p.id === participantId),
    );
  }

  /** The counting contests a chat follows: its participant's, or all (groups). */
  private async followed(linked: { participantId: string | null }) {
    if (linked.participantId !== null) return this.contestsOf(linked.participantId);
    return this.contests.list({ states: COUNTING_STATES });
  }

  private async newCode(subject: ChatSubject): Promise<{ code: string; expiresAt: Date }> {
    const code = newLinkCode();
    const expiresAt = new Date(Date.now() + LINK_CODE_TTL_MS);
    await this.chats.insertCode(hashLinkCode(code), subject, expiresAt);
    return { code, expiresAt };
  }

  private async botUsername(): Promise<string> {
    const username = await this.client.username();
    if (username === null) {
      throw conflictError(
        'telegram_off',
        'the Telegram bot is off: set TELEGRAM_BOT_TOKEN (and check that Telegram answers)',
      );
    }
    return username;
  }
}

function languageOfSender(code: string | null): Language {
  return code !== null && code.startsWith('en') ? 'en' : 'ru';
}
