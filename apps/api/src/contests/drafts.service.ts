import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  addUtcMonths,
  contestFileSchema,
  rulesEditable,
  type ContestFile,
} from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { fieldIssues, validationError } from '../common/validation/zod-validation.pipe.js';
import { SimulationsService } from '../simulations/simulations.service.js';
import { ContestParticipantsService } from '../participants/contest-participants.service.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import {
  ContestsRepository,
  type ContestApproval,
  type ContestRecord,
} from './contests.repository.js';
import { ContestsService, type ContestSummary } from './contests.service.js';
import type {
  ApproveScenario,
  CloneContest,
  PlansBody,
  UpdateContest,
  Verdict,
} from './dto/contest.dto.js';
import { conflictError, fieldError } from '../common/http-errors.js';
import { PrizeImagesRepository } from './prize-images.repository.js';
import { ruleDigest, simulatedRulesDigest } from './rule-digest.js';

/**
 * Writing a contest's content: creation from a contest file, and, while it is a draft, its rules,
 * plans and approved scenario; its texts and presentation at any time. Each change writes its audit
 * row in the change's own transaction.
 */
@Injectable()
export class DraftsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contests: ContestsRepository,
    private readonly records: ContestRecordsService,
    private readonly auditTrail: ContestAuditRepository,
    private readonly reading: ContestsService,
    private readonly participants: ContestParticipantsService,
    private readonly cluster: ClusterService,
    private readonly simulations: SimulationsService,
    private readonly prizeImages: PrizeImagesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(file: ContestFile, actor: string): Promise<{ id: string; state: 'draft' }> {
    const definition = withoutEvents(file);
    const id = await this.dataSource.transaction(async (manager) => {
      await this.participants.ensureFromContestFile(manager, definition.participants);
      const contestId = await this.contests.insert(manager, {
        definition,
        graceDays: 3,
        createdBy: actor,
      });
      if (contestId === null) throw new Error('a contest insert without repeat_of cannot conflict');
      await this.contests.replaceParticipants(manager, contestId, participantIdsOf(definition));
      await this.auditTrail.audit(manager, {
        contestId,
        actor,
        action: 'created',
        toState: 'draft',
      });
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
      await this.contests.replaceParticipants(manager, id, participantIdsOf(definition));
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'rules-replaced',
        details: { before: ruleDigest(contest.definition), after: ruleDigest(definition) },
      });
    });
    return this.reading.get(id);
  }

  /** Texts and presentation: editable in every state, but no longer once closed. */
  async update(id: string, changes: UpdateContest, actor: string): Promise<ContestSummary> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.records.lock(manager, id);
      if (
        contest.state === 'closed' &&
        (changes.graceDays !== undefined || changes.prizeTitles !== undefined)
      ) {
        throw conflictError(
          'contest_state',
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
      if (changes.repeatMonthly === true && !isOneCalendarMonth(contest)) {
        throw fieldError(
          'repeatMonthly',
          'only a contest whose period is exactly one calendar month (the 1st to the 1st, UTC) can repeat monthly',
        );
      }
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
      if (changes.repeatMonthly !== undefined)
        await this.contests.setRepeatMonthly(manager, id, changes.repeatMonthly);
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'updated',
        details: changes,
      });
    });
    // Screens keep the contest's header and amounts rule: they read them again.
    this.cluster.contestChanged(id);
    return this.reading.get(id);
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
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'plans-replaced',
        details: { participants: Object.keys(plans) },
      });
    });
    return this.reading.plans(id);
  }

  /**
   * Approves a simulation scenario of a draft with its fairness verdict: a stored simulation's
   * own (finished, of this contest), or the verdict of a run elsewhere (the browser) given in the
   * body. The approval holds a digest of the rules it judged: a launch compares it with the rules.
   */
  async approveScenario(
    id: string,
    approval: ApproveScenario,
    actor: string,
  ): Promise<ContestSummary> {
    const verdict = await this.verdictOf(id, approval);
    await this.dataSource.transaction(async (manager) => {
      // The live forecast and the report's baseline read it: it is part of the frozen rules.
      const contest = await this.lockDraft(manager, id, 'change the approved scenario of');
      await this.approveLocked(manager, contest, approval, verdict, actor);
    });
    return this.reading.get(id);
  }

  /**
   * Approves the server-side simulation a monthly repeat started for its draft, with that
   * simulation's verdict; once, whichever process finds it done first. False when the draft no
   * longer waits for this run (approved meanwhile, launched, or given another run).
   */
  async approvePending(
    id: string,
    simulationId: string,
    approval: Omit<ApproveScenario, 'simulationId' | 'verdict'>,
    verdict: Verdict,
    actor: string,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const contest = await this.records.lock(manager, id);
      if (contest.pendingSimulationId !== simulationId || !rulesEditable(contest.state))
        return false;
      await this.approveLocked(manager, contest, { ...approval, simulationId }, verdict, actor);
      return true;
    });
  }

  /**
   * A new draft with the source's rules, prizes (and their pictures), plans and participants,
   * under another name or period when given; its audit trail says where it came from.
   */
  async clone(
    id: string,
    body: CloneContest,
    actor: string,
  ): Promise<{ id: string; state: 'draft' }> {
    const source = await this.records.require(id);
    const base = source.frozenFile ?? source.definition;
    const file = { ...base, name: body?.name ?? base.name, period: body?.period ?? base.period };
    const parsed = contestFileSchema.safeParse({ ...file, events: [] });
    if (!parsed.success) throw validationError(fieldIssues(parsed.error.issues));
    const created = await this.dataSource.transaction((manager) =>
      this.insertCopy(manager, source, file, actor, { action: 'cloned' }),
    );
    if (created === null) throw new Error('a clone without repeat_of cannot conflict');
    return { id: created, state: 'draft' };
  }

  /**
   * The next calendar month's draft of a repeating contest, with `plans` (from the latest
   * history); null when it exists already (made by another process, or before).
   */
  async repeatNextMonth(
    source: ContestRecord,
    plans: PlansBody,
    actor: string,
  ): Promise<string | null> {
    const base = source.frozenFile ?? source.definition;
    const file: Omit<ContestFile, 'events'> = {
      ...base,
      period: nextMonthOf(source),
      participants: base.participants.map((p) => ({ ...p, plan: plans[p.id] ?? p.plan })),
    };
    return this.dataSource.transaction((manager) =>
      this.insertCopy(manager, source, file, actor, {
        action: 'repeated',
        repeatOf: source.id,
        repeatMonthly: true,
      }),
    );
  }

  /**
   * Sets the server-side run a draft waits for (null: none); with `only`, clears it only while
   * it is still that run.
   */
  async setPendingSimulation(id: string, simulationId: string | null, only?: string) {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.records.lock(manager, id);
      if (only !== undefined && contest.pendingSimulationId !== only) return;
      await this.contests.setPendingSimulation(manager, id, simulationId);
    });
  }

  private async insertCopy(
    manager: EntityManager,
    source: ContestRecord,
    file: Omit<ContestFile, 'events'>,
    actor: string,
    how: { action: 'cloned' | 'repeated'; repeatOf?: string; repeatMonthly?: boolean },
  ): Promise<string | null> {
    const contestId = await this.contests.insert(manager, {
      definition: file,
      graceDays: source.graceDays,
      showAmounts: source.showAmounts,
      createdBy: actor,
      ...(how.repeatOf === undefined ? {} : { repeatOf: how.repeatOf }),
      ...(how.repeatMonthly === undefined ? {} : { repeatMonthly: how.repeatMonthly }),
    });
    if (contestId === null) return null;
    await this.contests.replaceParticipants(manager, contestId, participantIdsOf(file));
    await this.prizeImages.copyAll(manager, source.id, contestId);
    await this.auditTrail.audit(manager, {
      contestId,
      actor,
      action: 'created',
      toState: 'draft',
    });
    await this.auditTrail.audit(manager, {
      contestId,
      actor,
      action: how.action,
      details: { from: source.id, name: file.name, period: file.period },
    });
    return contestId;
  }

  private async approveLocked(
    manager: EntityManager,
    contest: ContestRecord,
    approval: ApproveScenario,
    verdict: Verdict,
    actor: string,
  ): Promise<void> {
    const approved: ContestApproval = {
      verdict,
      rules: simulatedRulesDigest(contest.definition),
      simulationId: approval.simulationId ?? null,
      approvedAt: this.clock.now().toISOString(),
      approvedBy: actor,
    };
    await this.contests.setScenario(
      manager,
      contest.id,
      {
        ...approval.scenario,
        baselineMarginMinor: approval.baselineMarginMinor,
        simulationId: approval.simulationId ?? null,
        pAllPrizesFunded: approval.pAllPrizesFunded ?? null,
        approvedBy: actor,
      },
      approved,
    );
    await this.auditTrail.audit(manager, {
      contestId: contest.id,
      actor,
      action: 'scenario-approved',
      details: { ...approval, verdict, rules: approved.rules },
    });
  }

  /** The verdict an approval carries: its stored simulation's, else the one the body gives. */
  private async verdictOf(id: string, approval: ApproveScenario): Promise<Verdict> {
    if (approval.simulationId === undefined) {
      if (approval.verdict === undefined)
        throw fieldError(
          'verdict',
          'is required without a simulationId: the fairness verdict of the simulation approved',
          'required',
        );
      return approval.verdict;
    }
    const simulation = await this.simulations.get(approval.simulationId).catch((error: unknown) => {
      if (error instanceof NotFoundException)
        throw fieldError('simulationId', 'no such simulation');
      throw error;
    });
    if (simulation.contestId !== id)
      throw fieldError('simulationId', 'is a simulation of another contest, or of a file');
    if (simulation.state !== 'done')
      throw conflictError('simulation_state', [
        {
          path: 'simulationId',
          message: `the simulation is ${simulation.state}: only a finished one can be approved`,
        },
      ]);
    const verdict = verdictOfResult(simulation.result);
    if (approval.verdict !== undefined && approval.verdict !== verdict)
      throw fieldError('verdict', `differs from the simulation's verdict (${verdict})`);
    return verdict;
  }

  private async lockDraft(
    manager: EntityManager,
    id: string,
    what: string,
  ): Promise<ContestRecord> {
    const contest = await this.records.lock(manager, id);
    if (!rulesEditable(contest.state)) {
      throw conflictError(
        'contest_state',
        `cannot ${what} a ${contest.state} contest: its rules are frozen once launched`,
      );
    }
    return contest;
  }
}

function withoutEvents(file: ContestFile): Omit<ContestFile, 'events'> {
  const { events: _events, ...definition } = file;
  return definition;
}

function participantIdsOf(file: Omit<ContestFile, 'events'>): string[] {
  return file.participants.map((participant) => participant.id);
}

/** The fairness verdict in a stored simulation's result. */
export function verdictOfResult(result: unknown): Verdict {
  const verdict = (result as { fairness?: { verdict?: unknown } } | null)?.fairness?.verdict;
  if (verdict !== 'balanced' && verdict !== 'unbalanced')
    throw new Error('a finished simulation without a fairness verdict');
  return verdict;
}

/** Is the period exactly one calendar month, from the 1st at 00:00 UTC to the next 1st? */
export function isOneCalendarMonth(contest: Pick<ContestRecord, 'periodStart' | 'periodEnd'>) {
  const start = contest.periodStart;
  return (
    start.getUTCDate() === 1 &&
    start.getTime() % 86_400_000 === 0 &&
    addUtcMonths({ ms: start.getTime(), months: 1 }) === contest.periodEnd.getTime()
  );
}

/** The calendar month after a contest's period, as ISO dates. */
export function nextMonthOf(contest: Pick<ContestRecord, 'periodEnd'>): ContestFile['period'] {
  const start = contest.periodEnd.getTime();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(start), end: day(addUtcMonths({ ms: start, months: 1 })) };
}
