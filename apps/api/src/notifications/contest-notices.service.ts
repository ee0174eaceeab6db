import { Injectable } from '@nestjs/common';
import {
  contestRulesOf,
  describeRules,
  type ContestFile,
  type PrizeResult,
} from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { PublicUrl } from '../common/public-url.js';
import { CursorsRepository } from './cursors.repository.js';
import { rulesLines, texts } from './messages.js';
import { OutboxService } from './outbox.service.js';

/** A contest as its transitions' messages need it. */
export interface NoticeContest {
  readonly id: string;
  readonly name: string;
  readonly file: Omit<ContestFile, 'events'>;
}

/**
 * The messages of a contest's transitions, written in the transition's own transaction (the
 * caller's `manager`): launched (and the standings cursor started after the launch's backfill),
 * and closed with its winners.
 */
@Injectable()
export class ContestNoticesService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly cursors: CursorsRepository,
    private readonly publicUrl: PublicUrl,
  ) {}

  /** The contest started counting: its participants hear the rules, the prizes and the link. */
  async launched(manager: EntityManager, contest: NoticeContest): Promise<void> {
    await this.cursors.start(manager, contest.id);
    const facts = describeRules({
      rules: contestRulesOf({ file: contest.file, hasImage: () => false }),
    });
    const prizes = facts.prizeGroups.flatMap((group) => group.prizes);
    const link = this.publicUrl.of('/m');
    await this.outbox.toParticipants(
      manager,
      'contestLaunched',
      contest.file.participants.map((participant) => ({
        participantId: participant.id,
        key: `launched:${contest.id}`,
        text: (language) =>
          texts.contestLaunched(language, {
            contest: contest.name,
            rules: rulesLines(language, facts),
            prizes,
            link,
          }),
      })),
    );
  }

  /** The contest closed: participants and group chats hear the winners (even in quiet hours). */
  async closed(
    manager: EntityManager,
    contest: NoticeContest,
    prizes: readonly PrizeResult[],
  ): Promise<void> {
    const names = new Map(
      contest.file.participants.map((participant) => [participant.id, participant.name]),
    );
    const winners = prizes
      .filter((prize) => prize.winnerParticipantId !== null && prize.paidMinor > 0)
      .map((prize) => ({
        place: prize.place,
        name: names.get(prize.winnerParticipantId ?? '') ?? prize.winnerParticipantId ?? '',
        prize: prize.title,
      }));
    const key = `closed:${contest.id}`;
    const text = (language: 'ru' | 'en') =>
      texts.contestClosed(language, { contest: contest.name, winners });
    await this.outbox.toParticipants(
      manager,
      'contestClosed',
      contest.file.participants.map((participant) => ({
        participantId: participant.id,
        key,
        text,
      })),
    );
    const teams = [
      ...new Set(
        contest.file.participants.flatMap((participant) =>
          participant.team === undefined ? [] : [participant.team],
        ),
      ),
    ];
    await this.outbox.toGroups(manager, 'contestClosed', { teams, key, text });
  }
}
