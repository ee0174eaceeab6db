import { Injectable } from '@nestjs/common';
import { notFound } from '../common/http-errors.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { Principal } from '../auth/principal.js';
import type {
  ChatSettingsDto,
  NotificationSettingsView,
  NotificationsQueryDto,
  NotificationView,
  ParticipantSettingsDto,
} from './dto/notifications.dto.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './kinds.js';
import { TelegramChatsRepository } from './telegram-chats.repository.js';
import { TelegramLinksService } from './telegram-links.service.js';
import { DELIVERY_QUEUES } from './outbox.queues.js';
import { OutboxRepository, type OutboxRecord } from './outbox.repository.js';

function toView(record: OutboxRecord): NotificationView {
  const text = record.payload['text'] ?? record.payload['subject'];
  return {
    id: record.id,
    kind: record.kind,
    channel: record.channel,
    participantId: record.participantId,
    chatId: record.chatId,
    email: record.email,
    language: record.language,
    state: record.state,
    attempts: record.attempts,
    nextAttemptAt: record.nextAttemptAt.toISOString(),
    lastError: record.lastError,
    createdAt: record.createdAt.toISOString(),
    sentAt: record.sentAt?.toISOString() ?? null,
    text: typeof text === 'string' ? text : null,
  };
}

/** The outbox as administrators see it: recent messages with their state, and retrying one. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly jobs: JobsService,
    private readonly chats: TelegramChatsRepository,
    private readonly links: TelegramLinksService,
  ) {}

  /** A participant's language and switches (a seller only their own). */
  async participantSettings(
    participantId: string,
    principal: Principal,
  ): Promise<NotificationSettingsView> {
    this.links.checkSelf(participantId, principal);
    const participant = await this.chats.participantName(participantId);
    if (participant === null) throw notFound('participant');
    return {
      language: participant.language,
      switches: await this.switchesOf(`participant:${participantId}`),
    };
  }

  async updateParticipantSettings(
    participantId: string,
    body: ParticipantSettingsDto,
    principal: Principal,
  ): Promise<NotificationSettingsView> {
    this.links.checkSelf(participantId, principal);
    if ((await this.chats.participantName(participantId)) === null) throw notFound('participant');
    if (body.language !== undefined) await this.chats.setLanguage(participantId, body.language);
    await this.setSwitches(`participant:${participantId}`, body.switches ?? {});
    return this.participantSettings(participantId, principal);
  }

  /** A linked chat's switches. */
  async updateChatSettings(
    chatId: string,
    body: ChatSettingsDto,
  ): Promise<NotificationSettingsView> {
    const chat = /^-?\d{1,20}$/.test(chatId) ? await this.chats.find(chatId) : null;
    if (chat === null) throw notFound('linked Telegram chat');
    await this.setSwitches(`chat:${chatId}`, body.switches);
    return {
      language: chat.participantId === null ? null : chat.language,
      switches: await this.switchesOf(`chat:${chatId}`),
    };
  }

  private async setSwitches(
    subject: string,
    switches: Partial<Record<NotificationKind, boolean>>,
  ): Promise<void> {
    for (const kind of NOTIFICATION_KINDS) {
      const enabled = switches[kind];
      if (enabled !== undefined) await this.outbox.setSwitch(subject, kind, enabled);
    }
  }

  private async switchesOf(subject: string): Promise<Record<string, boolean>> {
    const stored = new Map(
      (await this.outbox.switchesOf(subject)).map((row) => [row.kind, row.enabled]),
    );
    return Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, stored.get(kind) ?? true]));
  }

  async recent(query: NotificationsQueryDto): Promise<NotificationView[]> {
    return (await this.outbox.recent(query)).map(toView);
  }

  /** A failed or skipped message goes back to the queue, due now. */
  async retry(id: string): Promise<NotificationView> {
    if (!/^\d{1,15}$/.test(id)) throw notFound('failed or skipped notification');
    const record = await this.outbox.requeue(Number(id));
    if (record === null) throw notFound('failed or skipped notification');
    await this.jobs.send(DELIVERY_QUEUES[record.channel], {});
    return toView(record);
  }
}
