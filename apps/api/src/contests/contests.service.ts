import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { randomUUID, createHash } from 'node:crypto';
import type { ContestEvent, ContestFile, EvaluationResult } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { fieldError } from '../auth/http-errors.js';
import { canReadContest, type Principal } from '../auth/principal.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { LiveBus } from '../common/live-bus.js';
import { EventsRepository } from '../events/events.repository.js';
import { EventsService } from '../events/events.service.js';
import { ParticipantsService } from '../participants/participants.service.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { isStaff, redactionFor, redactRows } from '../standings/redaction.js';
import { StandingsService, type StandingsSnapshot } from '../standings/standings.service.js';
import {
  accessOf,
  ContestsRepository,
  type ContestRecord,
  type ContestState,
} from './contests.repository.js';
import type { ApproveScenario, Correction, PlansBody, UpdateContest } from './dto/contest.dto.js';
import { LifecycleService } from './lifecycle.service.js';
import { reencodePrizeImage } from './prize-image.js';

export interface ContestSummary {
  readonly id: string;
  readonly name: string;
  readonly state: ContestState;
  readonly currency: string;
  readonly period: { start: string; end: string };
  readonly graceDays: number;
  readonly showAmounts: boolean;
  readonly seq: number;
  readonly participants: number;
  readonly prizes: readonly {
    place: number;
    league: string | null;
    title: string;
    costMinor: number;
    hasImage?: boolean;
  }[];
  readonly launchedAt: string | null;
  readonly closedAt: string | null;
  readonly createdAt: string;
}

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024 - 64 * 1024;

export function summarize(contest: ContestRecord): ContestSummary {
  const file = contest.frozenFile ?? contest.definition;
  return {
    id: contest.id,
    name: contest.name,
    state: contest.state,
    currency: contest.currency,
    period: { start: contest.periodStart.toISOString(), end: contest.periodEnd.toISOString() },
    graceDays: contest.graceDays,
    showAmounts: contest.showAmounts,
    seq: contest.lastSeq,
    participants: file.participants.length,
    prizes: file.prizes.map((prize) => ({
      place: prize.place,
      league: prize.league ?? null,
      title: prize.title,
      costMinor: prize.costMinor,
    })),
    launchedAt: contest.launchedAt?.toISOString() ?? null,
    closedAt: contest.closedAt?.toISOString() ?? null,
    createdAt: contest.createdAt.toISOString(),
  };
}

/** Contests: creation from a contest file, plans, launch and the other transitions, corrections. */
@Injectable()
export class ContestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contests: ContestsRepository,
    private readonly events: EventsRepository,
    private readonly ingestion: EventsService,
    private readonly standings: StandingsService,
    private readonly lifecycle: LifecycleService,
    private readonly participants: ParticipantsService,
    private readonly bus: LiveBus,
    private readonly cluster: ClusterService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(file: ContestFile, actor: string): Promise<{ id: string; state: ContestState }> {
    const definition = withoutEvents(file);
    const id = await this.dataSource.transaction(async (manager) => {
      await this.participants.ensureFromContestFile(manager, definition.participants);
      const contestId = await this.contests.insert(manager, {
        definition,
        graceDays: 3,
        createdBy: actor,
      });
      await this.contests.replacePlans(manager, contestId, plansOf(definition));
      await this.contests.audit(manager, { contestId, actor, action: 'created', toState: 'draft' });
      return contestId;
    });
    return { id, state: 'draft' };
  }

  /** Replaces the rules of a draft; a launched contest's rules are frozen. */
  async replace(id: string, file: ContestFile, actor: string): Promise<ContestSummary> {
    const definition = withoutEvents(file);
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.lockDraft(manager, id, 'change the rules of');
      await this.participants.ensureFromContestFile(manager, definition.participants);
      await this.contests.replaceDefinition(manager, id, definition);
      await this.contests.replacePlans(manager, id, plansOf(definition));
      await this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'rules-replaced',
        details: { before: ruleDigest(contest.definition), after: ruleDigest(definition) },
      });
    });
    return this.get(id);
  }

  async list(state: ContestState | undefined, viewer: Principal): Promise<ContestSummary[]> {
    const contests = await this.contests.list(state ? { states: [state] } : {});
    return contests.filter((contest) => canReadContest(viewer, accessOf(contest))).map(summarize);
  }

  async get(id: string, viewer?: Principal): Promise<ContestSummary> {
    return summarize(await this.require(id, viewer));
  }

  async definition(id: string): Promise<Omit<ContestFile, 'events'>> {
    const contest = await this.require(id);
    return contest.frozenFile ?? contest.definition;
  }

  async update(id: string, changes: UpdateContest, actor: string): Promise<ContestSummary> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.lockOrThrow(manager, id);
      if (
        contest.state === 'closed' &&
        (changes.graceDays !== undefined || changes.prizeTitles !== undefined)
      ) {
        throw new ConflictException(
          `the contest is closed: graceDays and prize titles can no longer change`,
        );
      }
      const retitle = (file: Omit<ContestFile, 'events'>): Omit<ContestFile, 'events'> => ({
        ...file,
        name: changes.name ?? file.name,
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        prizes: file.prizes.map((prize) => {
          const title = changes.prizeTitles?.find(
            (p) => p.place === prize.place && (p.league ?? null) === (prize.league ?? null),
          );
          return title ? { ...prize, title: title.title } : prize;
        }),
      });
      for (const [index, title] of (changes.prizeTitles ?? []).entries()) {
        const known = contest.definition.prizes.some(
          (p) => p.place === title.place && (p.league ?? null) === (title.league ?? null),
        );
        if (!known)
          throw new BadRequestException({
            statusCode: 400,
            error: 'Bad Request',
            message: `prizeTitles[${index}]: no such prize place`,
            issues: [
              { path: `prizeTitles[${index}].place`, message: 'no prize at this place and league' },
            ],
          });
      }
      await this.contests.updateTexts(manager, id, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.graceDays !== undefined ? { graceDays: changes.graceDays } : {}),
        ...(changes.showAmounts !== undefined ? { showAmounts: changes.showAmounts } : {}),
        definition: retitle(contest.definition),
        frozenFile: contest.frozenFile ? retitle(contest.frozenFile) : null,
      });
      await this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'updated',
        details: changes,
      });
    });
    // Screens keep the contest's header and amounts rule: they read them again.
    this.cluster.contestChanged(id);
    return this.get(id);
  }

  async plans(id: string): Promise<PlansBody> {
    const file = await this.definition(id);
    return Object.fromEntries(
      file.participants.map((participant) => [participant.id, participant.plan]),
    );
  }

  /** Replaces plans of the draft's participants (all or some); participants must be in the contest. */
  async replacePlans(id: string, plans: PlansBody, actor: string): Promise<PlansBody> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.lockDraft(manager, id, 'change the plans of');
      const known = new Set(contest.definition.participants.map((p) => p.id));
      const unknown = Object.keys(plans).filter((participantId) => !known.has(participantId));
      if (unknown.length > 0) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: `${unknown[0]}: not a participant of this contest`,
          issues: unknown.map((participantId) => ({
            path: participantId,
            message: 'not a participant of this contest',
          })),
        });
      }
      const definition = {
        ...contest.definition,
        participants: contest.definition.participants.map((p) => ({
          ...p,
          plan: plans[p.id] ?? p.plan,
        })),
      };
      await this.contests.replaceDefinition(manager, id, definition);
      await this.contests.replacePlans(manager, id, plansOf(definition));
      await this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'plans-replaced',
        details: { participants: Object.keys(plans) },
      });
    });
    return this.plans(id);
  }

  async approveScenario(
    id: string,
    approval: ApproveScenario,
    actor: string,
  ): Promise<ContestSummary> {
    await this.dataSource.transaction(async (manager) => {
      // The live forecast and the report's baseline read it: it is part of the frozen rules.
      await this.lockDraft(manager, id, 'change the approved scenario of');
      await this.contests.setScenario(manager, id, {
        ...approval.scenario,
        baselineMarginMinor: approval.baselineMarginMinor,
        simulationId: approval.simulationId ?? null,
        approvedBy: actor,
      });
      await this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'scenario-approved',
        details: approval,
      });
    });
    return this.get(id);
  }

  /** Draft → live when the period has started, else scheduled. Freezes the rules. */
  async launch(id: string, actor: string): Promise<{ id: string; state: ContestState }> {
    const now = this.clock.now();
    const state = await this.dataSource.transaction(async (manager) => {
      const contest = await this.lockDraft(manager, id, 'launch');
      if (contest.periodEnd <= now) {
        throw new ConflictException(
          `the period of this contest ended on ${contest.periodEnd.toISOString()}: it cannot be launched`,
        );
      }
      const next: ContestState = contest.periodStart <= now ? 'live' : 'scheduled';
      await this.contests.updateState(manager, id, {
        state: next,
        frozenFile: contest.definition,
        launchedAt: now,
      });
      await this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'launched',
        fromState: 'draft',
        toState: next,
      });
      if (next === 'live') await this.lifecycle.backfill(manager, id);
      return next;
    });
    if (state === 'live') this.standings.notify(id);
    this.bus.publish({ kind: 'state', contestId: id, state });
    return { id, state };
  }

  /** Scheduled → draft: the rules can change again until the next launch. */
  async unschedule(id: string, actor: string): Promise<{ id: string; state: ContestState }> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.lockOrThrow(manager, id);
      if (contest.state !== 'scheduled') {
        throw new ConflictException(
          `only a scheduled contest can go back to draft; this one is ${contest.state}`,
        );
      }
      await this.contests.unfreeze(manager, id);
      await this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'unscheduled',
        fromState: 'scheduled',
        toState: 'draft',
      });
    });
    // A draft again: staff-only, so every process reads who may subscribe again.
    this.cluster.contestChanged(id);
    return { id, state: 'draft' };
  }

  /** Closing → closed now, without waiting for the rest of the grace period. */
  async close(id: string, actor: string): Promise<{ id: string; state: ContestState }> {
    await this.lifecycle.closeNow(id, actor);
    return { id, state: 'closed' };
  }

  async standingsOf(id: string, viewer: Principal): Promise<StandingsSnapshot> {
    const contest = await this.require(id, viewer);
    return redactFor(await this.currentStandings(contest), viewer, contest.showAmounts);
  }

  private async currentStandings(contest: ContestRecord): Promise<StandingsSnapshot> {
    if (contest.state === 'closed') {
      const result = await this.contests.result(contest.id);
      if (result) {
        return {
          contestId: contest.id,
          seq: result.seq,
          ...(result.standings as EvaluationResult),
        };
      }
    }
    const live = await this.standings.snapshot(contest.id);
    if (live) return live;
    // Not launched yet: the standings as they would start.
    return { contestId: contest.id, seq: 0, ...this.lifecycle.evaluateWithout(contest) };
  }

  async feed(id: string, query: { beforeSeq?: number; limit: number }) {
    await this.require(id);
    return this.events.feed(id, { beforeSeq: query.beforeSeq ?? null, limit: query.limit });
  }

  async audit(id: string) {
    await this.require(id);
    return this.contests.auditOf(id);
  }

  /** A manager's correction: recorded as an event of its own with its author, never an edit. */
  async correct(id: string, correction: Correction, actor: string) {
    const contest = await this.require(id);
    if (contest.state !== 'live' && contest.state !== 'closing') {
      throw new ConflictException(
        `corrections apply to live or closing contests; this one is ${contest.state}`,
      );
    }
    let event: ContestEvent;
    if (correction.kind === 'reverse') {
      const target = await this.events.findById(correction.eventId);
      if (!target) throw new NotFoundException(`no event ${correction.eventId}`);
      // Audited on this contest only, so it may name only what this contest counts.
      const links = await this.events.linksOf([target.id]);
      if (!links.some((link) => link.contestId === id))
        throw fieldError('eventId', `event ${target.id} is not counted by this contest`);
      if (target.event.type === 'reversal') {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: 'eventId: a reversal cannot be reversed',
          issues: [{ path: 'eventId', message: 'a reversal cannot be reversed' }],
        });
      }
      // A reversal matches its sale within the same source.
      event = {
        type: 'reversal',
        source: target.event.source,
        externalId: `correction:${randomUUID()}`,
        participantId: target.event.participantId,
        occurredAt: target.event.occurredAt,
        reversesExternalId: target.event.externalId,
      };
    } else {
      const file = contest.frozenFile ?? contest.definition;
      if (!file.participants.some((participant) => participant.id === correction.participantId))
        throw fieldError('participantId', 'not a participant of this contest');
      const occurredAt = Date.parse(correction.occurredAt);
      if (occurredAt < contest.periodStart.getTime() || occurredAt >= contest.periodEnd.getTime())
        throw fieldError(
          'occurredAt',
          `outside the contest period (${contest.periodStart.toISOString()} to ${contest.periodEnd.toISOString()}, end excluded)`,
        );
      const { kind: _kind, reason: _reason, ...sale } = correction;
      event = {
        type: 'sale',
        source: 'correction',
        externalId: `correction:${randomUUID()}`,
        ...sale,
      };
    }
    const answer = await this.ingestion.ingest(event, { author: actor });
    await this.dataSource.transaction((manager) =>
      this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'correction',
        details: { ...correction, event },
      }),
    );
    return answer.body;
  }

  async checkpoints(id: string, viewer: Principal) {
    const contest = await this.require(id, viewer);
    const checkpoints = await this.contests.checkpoints(id, { withStandings: true });
    // Displays and sellers see published checkpoints only; managers see them before publishing.
    const staff = isStaff(viewer);
    return checkpoints
      .filter((checkpoint) => staff || checkpoint.publishedAt !== null)
      .map((checkpoint) => ({
        ...checkpoint,
        standings: redactFor(
          { contestId: id, seq: checkpoint.seq, ...(checkpoint.standings as EvaluationResult) },
          viewer,
          contest.showAmounts,
        ),
      }));
  }

  async publishCheckpoint(id: string, number: number, actor: string) {
    await this.require(id);
    // The publication and its audit row: both or neither.
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.contests.publishCheckpoint(manager, id, number, actor))) {
        throw new NotFoundException(`contest ${id} has no checkpoint ${number}`);
      }
      await this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'checkpoint-published',
        details: { number },
      });
    });
    const published = (await this.contests.checkpoints(id, { withStandings: false })).find(
      (c) => c.number === number,
    );
    if (published) {
      const { contestId, boundary, seq, publishedAt } = published;
      this.bus.publish({
        kind: 'checkpoint',
        checkpoint: { contestId, number, boundary, seq, publishedAt },
      });
    }
    return published;
  }

  async report(id: string) {
    const contest = await this.require(id);
    const result = await this.contests.result(id);
    if (contest.state !== 'closed' || !result) {
      throw new ConflictException(
        `the report exists once the contest is closed; this one is ${contest.state}`,
      );
    }
    return {
      contestId: id,
      closedAt: result.closedAt,
      seq: result.seq,
      ...(result.report as Record<string, unknown>),
    };
  }

  async putPrizeImage(
    id: string,
    place: number,
    league: string | undefined,
    upload: Buffer,
    actor: string,
  ) {
    const contest = await this.require(id);
    const file = contest.frozenFile ?? contest.definition;
    if (!file.prizes.some((p) => p.place === place && (p.league ?? undefined) === league)) {
      throw new NotFoundException(
        `contest ${id} has no prize at place ${place}${league ? ` in league ${league}` : ''}`,
      );
    }
    if (upload.length === 0)
      throw new BadRequestException('the body must be the image itself (PNG, JPEG, WebP or GIF)');
    if (upload.length > MAX_IMAGE_BYTES)
      throw new PayloadTooLargeException(`an image may be at most ${MAX_IMAGE_BYTES} bytes`);
    const { bytes, contentType: type } = await reencodePrizeImage(upload);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.contests.putPrizeImage({
      contestId: id,
      league: league ?? '',
      place,
      contentType: type,
      bytes,
      sha256,
    });
    await this.dataSource.transaction((manager) =>
      this.contests.audit(manager, {
        contestId: id,
        actor,
        action: 'prize-image',
        details: { place, league: league ?? null, type, bytes: bytes.length },
      }),
    );
    return {
      place,
      league: league ?? null,
      contentType: type,
      bytes: bytes.length,
      etag: `"${sha256}"`,
    };
  }

  async prizeImage(id: string, place: number, league: string | undefined) {
    const image = await this.contests.prizeImage(id, league ?? '', place);
    if (!image) throw new NotFoundException(`no image for place ${place} of contest ${id}`);
    return image;
  }

  /**
   * The contest, or 404, also when the viewer may not read it (a draft, a contest the seller is
   * not in, one not assigned to the display): its existence is not revealed.
   */
  private async require(id: string, viewer?: Principal): Promise<ContestRecord> {
    const contest = await this.contests.find(id);
    if (!contest || (viewer && !canReadContest(viewer, accessOf(contest))))
      throw new NotFoundException(`no contest ${id}`);
    return contest;
  }

  private async lockOrThrow(manager: EntityManager, id: string): Promise<ContestRecord> {
    const contest = await this.contests.lock(manager, id);
    if (!contest) throw new NotFoundException(`no contest ${id}`);
    return contest;
  }

  private async lockDraft(
    manager: EntityManager,
    id: string,
    what: string,
  ): Promise<ContestRecord> {
    const contest = await this.lockOrThrow(manager, id);
    if (contest.state !== 'draft') {
      throw new ConflictException(
        `cannot ${what} a ${contest.state} contest: its rules are frozen once launched`,
      );
    }
    return contest;
  }
}

/**
 * What a viewer may see of the standings: staff see everything; sellers and displays see every
 * rank and points, their own amounts, and others' amounts only when the contest shows them.
 */
export function redactFor(
  snapshot: StandingsSnapshot,
  viewer: Principal,
  showAmounts: boolean,
): StandingsSnapshot {
  return {
    ...snapshot,
    standings: redactRows(snapshot.standings, redactionFor(viewer, showAmounts)),
  };
}

function withoutEvents(file: ContestFile): Omit<ContestFile, 'events'> {
  const { events: _events, ...definition } = file;
  return definition;
}

function plansOf(file: Omit<ContestFile, 'events'>) {
  return file.participants.map((participant) => ({
    participantId: participant.id,
    plan: participant.plan,
  }));
}

/** What a rule change is audited with: a fingerprint of each side (the full files are large). */
function ruleDigest(file: Omit<ContestFile, 'events'>) {
  return {
    sha256: createHash('sha256').update(JSON.stringify(file)).digest('hex'),
    criteria: file.criteria.length,
    prizes: file.prizes.length,
    participants: file.participants.length,
  };
}
