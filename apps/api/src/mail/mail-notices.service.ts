import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxMessage } from '../notifications/outbox.repository.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { MailRecipientsRepository } from './mail-recipients.repository.js';
import { reportSubject, resultsSubject } from './mail.templates.js';
import { MailTransport } from './mail.transport.js';

/** A closed contest, as its e-mail needs it. */
export interface ClosedContest {
  readonly id: string;
  readonly name: string;
  readonly participantIds: readonly string[];
}

/**
 * The e-mail a contest's close sends, written to the outbox in the closing transaction: the
 * final report to every director and the results to every participant with an e-mail (a seller
 * login). The rows name the contest and the recipient; the sender renders them from the frozen
 * report when it sends (see MailComposer). An address that switched a kind off is skipped by the
 * sender, so the admin list shows it. Nothing is written while e-mail is off.
 */
@Injectable()
export class MailNoticesService {
  constructor(
    private readonly transport: MailTransport,
    private readonly recipients: MailRecipientsRepository,
    private readonly outbox: OutboxService,
  ) {}

  async closed(manager: EntityManager, contest: ClosedContest): Promise<void> {
    if (!this.transport.enabled) return;
    const directors = await this.recipients.directors(manager);
    const sellers = await this.recipients.participants(contest.participantIds, manager);
    const messages: OutboxMessage[] = [
      ...directors.map((director): OutboxMessage => ({
        kind: 'finalReport',
        channel: 'email',
        email: director.email,
        language: director.language,
        payload: {
          contestId: contest.id,
          subject: reportSubject(director.language, contest.name),
        },
        idempotencyKey: `report:${contest.id}:email:${director.email}`,
      })),
      ...sellers.map((seller): OutboxMessage => ({
        kind: 'contestClosed',
        channel: 'email',
        participantId: seller.participantId,
        email: seller.email,
        language: seller.language,
        payload: {
          contestId: contest.id,
          participantId: seller.participantId,
          subject: resultsSubject(seller.language, contest.name),
        },
        idempotencyKey: `closed:${contest.id}:email:${seller.email}`,
      })),
    ];
    await this.outbox.enqueue(manager, messages);
  }
}
