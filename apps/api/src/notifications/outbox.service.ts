import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobsService } from '../jobs/jobs.service.js';
import type { Language, NotificationKind } from './kinds.js';
import { DELIVERY_QUEUES } from './outbox.queues.js';
import { OutboxRepository, type OutboxMessage } from './outbox.repository.js';
import { TelegramChatsRepository } from './telegram-chats.repository.js';

/**
 * The transactional outbox: how any capability sends a message. `enqueue` writes the messages
 * and their channel's delivery job in the caller's transaction, so a message exists if and only
 * if the fact that causes it commits, and a committed message is delivered even when the process
 * dies right after the commit (the job, or the periodic probe of every process, finds it).
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly chats: TelegramChatsRepository,
    private readonly jobs: JobsService,
  ) {}

  /**
   * Writes `messages` in the transaction of `manager` (ignoring those whose idempotency key is
   * already stored) and queues their channels' delivery in the same transaction. Answers how many
   * channels got new messages.
   */
  async enqueue(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<number> {
    const channels = await this.outbox.insert(manager, messages);
    for (const channel of channels) {
      await this.jobs.send(DELIVERY_QUEUES[channel], {}, { manager });
    }
    return channels.size;
  }

  /**
   * One Telegram message per linked chat of each participant, in the participant's language.
   * `key` is the fact's idempotency key; the chat is appended to it.
   */
  async toParticipants(
    manager: EntityManager,
    kind: NotificationKind,
    messages: readonly {
      readonly participantId: string;
      readonly key: string;
      readonly text: (language: Language) => string;
    }[],
  ): Promise<void> {
    if (messages.length === 0) return;
    const chats = await this.chats.ofParticipants(
      manager,
      messages.map((message) => message.participantId),
    );
    const byParticipant = new Map(messages.map((message) => [message.participantId, message]));
    await this.enqueue(
      manager,
      chats.flatMap((chat) => {
        const message =
          chat.participantId === null ? undefined : byParticipant.get(chat.participantId);
        if (message === undefined) return [];
        return [
          {
            kind,
            channel: 'telegram' as const,
            participantId: message.participantId,
            chatId: chat.chatId,
            language: chat.language,
            payload: { text: message.text(chat.language) },
            idempotencyKey: `${message.key}:tg:${chat.chatId}`,
          },
        ];
      }),
    );
  }

  /** One Telegram message per group chat that follows a contest (its teams' and the company's). */
  async toGroups(
    manager: EntityManager,
    kind: NotificationKind,
    {
      teams,
      key,
      text,
    }: { teams: readonly string[]; key: string; text: (language: Language) => string },
  ): Promise<void> {
    const chats = await this.chats.groupsFor(manager, teams);
    await this.enqueue(
      manager,
      chats.map((chat) => ({
        kind,
        channel: 'telegram' as const,
        chatId: chat.chatId,
        language: chat.language,
        payload: { text: text(chat.language) },
        idempotencyKey: `${key}:tg:${chat.chatId}`,
      })),
    );
  }
}
