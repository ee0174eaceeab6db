import { Injectable } from '@nestjs/common';
import {
  contestRulesOf,
  describeRules,
  type ContestFile,
  type EvaluationResult,
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

  /**
   * A monthly checkpoint was published: each participant hears their rank and points and the
   * month's top 3, group chats the top 3. Once per checkpoint, however often it is published.
   */
  async monthlyPublished(
    manager: EntityManager,
    {
      contest,
      number,
      boundary,
      standings,
    }: { contest: NoticeContest; number: number; boundary: string; standings: EvaluationResult },
  ): Promise<void> {
    // The checkpoint at a month boundary closes the month before it.
    const end = new Date(boundary);
    const month = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
    const monthName = (language: 'ru' | 'en') =>
      new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-US', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(month);
    const top = [...standings.standings]
      .sort((a, b) => a.rank - b.rank)
      .slice(0, 3)
      .map((row) => ({ rank: row.rank, name: row.name, points: row.points }));
    const key = `monthly:${contest.id}:${number}`;
    await this.outbox.toParticipants(
      manager,
      'monthlyResult',
      standings.standings.map((row) => ({
        participantId: row.participantId,
        key,
        text: (language) =>
          texts.monthlyResult(language, {
            contest: contest.name,
            month: monthName(language),
            rank: row.rank,
            points: row.points,
            top,
          }),
      })),
    );
    const teams = [
      ...new Set(
        contest.file.participants.flatMap((participant) =>
          participant.team === undefined ? [] : [participant.team],
        ),
      ),
    ];
    await this.outbox.toGroups(manager, 'monthlyResult', {
      teams,
      key,
      text: (language) =>
        texts.monthlyResult(language, {
          contest: contest.name,
          month: monthName(language),
          rank: null,
          points: null,
          top,
        }),
    });
  }
}
