import { Injectable } from '@nestjs/common';
import { notFound } from '../common/http-errors.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { NotificationsQueryDto, NotificationView } from './dto/notifications.dto.js';
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
  ) {}

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
