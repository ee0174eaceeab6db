import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LiveStandings, type EvaluationResult, type StandingRow } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { parseStoredFile } from '../contests/stored-file.js';
import { APP_CONFIG } from '../config/config.module.js';
import { notificationDefaults, type AppConfig } from '../config/config.js';
import { EventLogService } from '../events/event-log.service.js';
import { StandingsService } from '../standings/standings.service.js';
import { CursorsRepository, type Place } from './cursors.repository.js';
import { formatMoney, texts } from './messages.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';
import { TelegramChatsRepository } from './telegram-chats.repository.js';

/** Standings changes of one contest are turned into messages at most this often. */
const DEBOUNCE_MS = 500;
/** Every process looks for contests whose cursor is behind their log this often. */
const SWEEP_MS = 3_000;
/** At most one "overtaken" per participant per this long. */
export const OVERTAKEN_EVERY_MS = 60 * 60 * 1000;
const PAGE = 5_000;

/**
 * Turns standings changes into messages: entered or left a prize place, overtaken, a prize
 * unlocked by the fund, and (for group chats) deals above the threshold.
 *
 * Why not in the ingest transaction: ingestion is one SQL statement that is also its commit
 * (group commit, see events/group-commit.ts), and the standings are a projection each process
 * keeps in memory and applies after the commit. Computing ranks inside that statement would put
 * an O(participants) step on the hot path. The durable fact is the event's place in its contest's
 * sequence (`contest_events.seq`, gap-free and committed with the event). This projector keeps,
 * per contest, a cursor (`notification_cursors`: the last `seq` turned into messages and each
 * participant's place there). It reads the projection at some `seq` > cursor, and in ONE
 * transaction locks the cursor, writes the messages the difference causes and moves the cursor
 * to `seq`. So every committed event's consequences become messages exactly once: a crash before
 * that transaction commits leaves the cursor behind, and the next process (or the sweep of this
 * one) does it; two processes racing serialise on the cursor's row lock and the second finds the
 * work done; and each message's idempotency key (`place:<contest>:<seq>:<participant>…`) makes a
 * repeat insert nothing. Several events between two runs are seen as one change (a seller who
 * went up and came back in between is not told), which is what a reader wants anyway.
 *
 * The work per event on the ingest path is nothing; the projector runs at most every
 * {@link DEBOUNCE_MS} per contest, off the request path, and while no chat is linked it reads no
 * standings at all (the cursor follows the log; its places are rebuilt from the log once
 * someone can be told again).
 */
@Injectable()
export class StandingsNotifierService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly standings: StandingsService,
    private readonly contests: ContestRecordsService,
    private readonly eventLog: EventLogService,
    private readonly cursors: CursorsRepository,
    private readonly outbox: OutboxService,
    private readonly outboxRows: OutboxRepository,
    private readonly chats: TelegramChatsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.standings.onUpdate((update) => this.soon(update.contestId));
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
    void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.sweeper) clearInterval(this.sweeper);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.sweeping;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Contests whose cursor is behind (a crash, another process's events, a missed update). */
  sweep(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        for (const contestId of await this.cursors.behind()) {
          if (this.stopped) return;
          await this.cursors.ensure(contestId);
          await this.project(contestId);
        }
      } catch (error) {
        this.logger.warn(`looking for standings to notify failed: ${String(error)}`);
      }
    })().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private soon(contestId: string): void {
    if (this.stopped || this.timers.has(contestId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(contestId);
      void this.project(contestId);
    }, DEBOUNCE_MS);
    timer.unref();
    this.timers.set(contestId, timer);
  }

  /** Turns the contest's standings changes since its cursor into messages; one run at a time. */
  project(contestId: string): Promise<void> {
    const current = this.running.get(contestId);
    if (current !== undefined) {
      this.again.add(contestId);
      return current;
    }
    const run = this.projectOnce(contestId)
      .catch((error: unknown) =>
        this.logger.warn(`notifying contest ${contestId}'s standings failed: ${String(error)}`),
      )
      .finally(() => {
        this.running.delete(contestId);
        if (this.again.delete(contestId) && !this.stopped) void this.project(contestId);
      });
    this.running.set(contestId, run);
    return run;
  }

  private async projectOnce(contestId: string): Promise<void> {
    // Nobody to tell (no bot, or no chat linked yet): no snapshot at all, the cursor just
    // follows the log, so ingestion costs nothing more than one probe per contest and window.
    if (!(await this.cursors.anyRecipient())) {
      await this.cursors.fastForward(contestId);
      return;
    }
    const snapshot = await this.standings.snapshot(contestId, { whatItTakes: false });
    if (snapshot === null) return;
    const contest = await this.contests.find(contestId);
    if (contest === null) return;
    const settings = this.config.notifications ?? notificationDefaults();
    await this.dataSource.transaction(async (manager) => {
      const cursor = await this.cursors.lock(manager, contestId);
      if (cursor === null || cursor.seq >= snapshot.seq) return;
      const base =
        cursor.places === null
          ? placesOf(await this.baseline(contestId, cursor.seq))
          : { places: cursor.places, unlocked: [] };
      const before = base.places;
      const beforeUnlocked = [...new Set([...cursor.unlocked, ...base.unlocked])];
      const after = placesOf(snapshot);
      const key = `${contestId}:${snapshot.seq}`;
      const names = new Map(snapshot.standings.map((row) => [row.participantId, row.name]));

      await this.placeMessages(manager, {
        contest: contest.name,
        key,
        before,
        after: after.places,
        snapshot,
        names,
      });

      // Prizes the fund unlocked since the cursor: told once per contest and prize.
      const newly = snapshot.prizes.filter(
        (prize) => prize.unlocked && !beforeUnlocked.includes(prizeKey(prize)),
      );
      if (newly.length > 0) {
        const fund = (language: 'ru' | 'en') =>
          formatMoney(snapshot.fundMinor, contest.currency, language);
        for (const prize of newly) {
          const unlockKey = `unlock:${contestId}:${prizeKey(prize)}`;
          const text = (language: 'ru' | 'en') =>
            texts.prizeUnlocked(language, { contest: contest.name, prize, fund: fund(language) });
          await this.outbox.toParticipants(
            manager,
            'prizeUnlocked',
            snapshot.standings.map((row) => ({
              participantId: row.participantId,
              key: unlockKey,
              text,
            })),
          );
          await this.outbox.toGroups(manager, 'prizeUnlocked', {
            teams: teamsOf(snapshot),
            key: unlockKey,
            text,
          });
        }
      }

      await this.bigDeals(manager, {
        contestId,
        contest: contest.name,
        currency: contest.currency,
        fromSeq: cursor.seq,
        toSeq: snapshot.seq,
        threshold: settings.groupDealMinor,
        names,
        teamOf: new Map(snapshot.standings.map((row) => [row.participantId, row.team])),
      });

      await this.cursors.advance(manager, contestId, {
        seq: snapshot.seq,
        places: after.places,
        unlocked: [...new Set([...beforeUnlocked, ...after.unlocked])],
      });
    });
  }

  private async placeMessages(
    manager: EntityManager,
    {
      contest,
      key,
      before,
      after,
      snapshot,
      names,
    }: {
      contest: string;
      key: string;
      before: Record<string, Place>;
      after: Record<string, Place>;
      snapshot: EvaluationResult;
      names: ReadonlyMap<string, string>;
    },
  ): Promise<void> {
    const entered: { participantId: string; rank: number; place: number }[] = [];
    const left: { participantId: string; rank: number }[] = [];
    const overtaken: { participantId: string; rank: number; oldRank: number }[] = [];
    for (const [participantId, now] of Object.entries(after)) {
      const then = before[participantId];
      if (then === undefined) continue;
      if (then.p === null && now.p !== null)
        entered.push({ participantId, rank: now.r, place: now.p });
      else if (then.p !== null && now.p === null) left.push({ participantId, rank: now.r });
      else if (now.r > then.r) overtaken.push({ participantId, rank: now.r, oldRank: then.r });
    }
    const prizeTitle = (place: number, participantId: string): string => {
      const league =
        snapshot.standings.find((row) => row.participantId === participantId)?.league ?? null;
      return (
        snapshot.prizes.find((prize) => prize.place === place && prize.league === league)?.title ??
        snapshot.prizes.find((prize) => prize.place === place)?.title ??
        ''
      );
    };
    await this.outbox.toParticipants(
      manager,
      'prizePlaceEntered',
      entered.map(({ participantId, rank, place }) => ({
        participantId,
        key: `place:${key}:${participantId}`,
        text: (language) =>
          texts.prizePlaceEntered(language, {
            contest,
            rank,
            prize: { place, title: prizeTitle(place, participantId) },
          }),
      })),
    );
    await this.outbox.toParticipants(
      manager,
      'prizePlaceLeft',
      left.map(({ participantId, rank }) => ({
        participantId,
        key: `place:${key}:${participantId}`,
        text: (language) => texts.prizePlaceLeft(language, { contest, rank }),
      })),
    );
    if (overtaken.length === 0) return;
    // Throttled: at most one per participant per hour, and only worth a look for those who have
    // somewhere to be told (one sale can push a thousand sellers down a place).
    const reachable = new Set(
      (
        await this.chats.ofParticipants(
          manager,
          overtaken.map((item) => item.participantId),
        )
      ).map((chat) => chat.participantId),
    );
    const now = Date.now();
    const throttled = [];
    for (const item of overtaken) {
      if (!reachable.has(item.participantId)) continue;
      const last = await this.outboxRows.lastOfKind(manager, item.participantId, 'overtaken');
      if (last !== null && now - last.getTime() < OVERTAKEN_EVERY_MS) continue;
      throttled.push(item);
    }
    await this.outbox.toParticipants(
      manager,
      'overtaken',
      throttled.map(({ participantId, rank, oldRank }) => {
        // Who passed them: someone now ahead of them who was behind them before.
        const by =
          Object.entries(after).find(
            ([other, place]) =>
              other !== participantId &&
              place.r < rank &&
              (before[other]?.r ?? Number.POSITIVE_INFINITY) > oldRank,
          )?.[0] ?? null;
        return {
          participantId,
          key: `overtaken:${key}:${participantId}`,
          text: (language: 'ru' | 'en') =>
            texts.overtaken(language, {
              contest,
              rank,
              by: by === null ? null : (names.get(by) ?? null),
            }),
        };
      }),
    );
  }

  /** Sales at or above the threshold among the events since the cursor, told to group chats. */
  private async bigDeals(
    manager: EntityManager,
    options: {
      contestId: string;
      contest: string;
      currency: string;
      fromSeq: number;
      toSeq: number;
      threshold: number;
      names: ReadonlyMap<string, string>;
      /** Each participant's team: a deal goes to its seller's team chat and the company's. */
      teamOf: ReadonlyMap<string, string | null>;
    },
  ): Promise<void> {
    // Only read the log when some group chat would hear of it.
    const probe = await manager.query(
      'SELECT 1 FROM telegram_chats WHERE participant_id IS NULL AND blocked_at IS NULL LIMIT 1',
    );
    if ((probe as unknown[]).length === 0) return;
    for (let seq = options.fromSeq; seq < options.toSeq;) {
      const page = await this.eventLog.contestEventsAfter(options.contestId, seq, PAGE);
      if (page.length === 0) return;
      for (const { seq: eventSeq, event } of page) {
        if (eventSeq > options.toSeq) return;
        if (event.type !== 'sale' || event.amountMinor < options.threshold) continue;
        const name = options.names.get(event.participantId) ?? event.participantId;
        const team = options.teamOf.get(event.participantId) ?? null;
        await this.outbox.toGroups(manager, 'bigDeal', {
          teams: team === null ? [] : [team],
          key: `deal:${options.contestId}:${eventSeq}`,
          text: (language) =>
            texts.bigDeal(language, {
              contest: options.contest,
              name,
              amount: formatMoney(event.amountMinor, options.currency, language),
            }),
        });
      }
      seq = page[page.length - 1]?.seq ?? options.toSeq;
    }
  }

  /** The contest's standings at `seq`, rebuilt from the log (once, when a cursor starts). */
  private async baseline(contestId: string, seq: number): Promise<EvaluationResult> {
    const contest = await this.contests.find(contestId);
    if (contest?.frozenFile == null) throw new Error(`contest ${contestId} has no frozen rules`);
    const standings = LiveStandings.fromFile(parseStoredFile(contest.frozenFile));
    for (let after = 0; after < seq;) {
      const page = await this.eventLog.contestEventsAfter(contestId, after, PAGE);
      if (page.length === 0) break;
      for (const entry of page) {
        if (entry.seq > seq) break;
        standings.applyEvent(entry.event);
      }
      after = page[page.length - 1]?.seq ?? seq;
    }
    return standings.snapshot({ whatItTakes: false });
  }
}

function prizeKey(prize: { place: number; league: string | null }): string {
  return `${prize.place}/${prize.league ?? ''}`;
}

function placesOf(result: EvaluationResult): { places: Record<string, Place>; unlocked: string[] } {
  const places: Record<string, Place> = {};
  for (const row of result.standings as StandingRow[]) {
    places[row.participantId] = { r: row.rank, p: row.prize?.place ?? null };
  }
  return {
    places,
    unlocked: result.prizes.filter((prize) => prize.unlocked).map(prizeKey),
  };
}

function teamsOf(result: EvaluationResult): string[] {
  return [...new Set(result.standings.map((row) => row.team).filter((team) => team !== null))];
}
