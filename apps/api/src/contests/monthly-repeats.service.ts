import { Injectable, Logger } from '@nestjs/common';
import {
  planFromStored,
  roundHalfAwayFromZero,
  scenarioSchema,
  type Plan,
} from '@podium/contest-model';
import { HistoryService } from '../participants/history.service.js';
import { PlansService } from '../participants/plans.service.js';
import { SimulationsService } from '../simulations/simulations.service.js';
import { ContestsRepository, type ContestRecord } from './contests.repository.js';
import { DraftsService, nextMonthOf, verdictOfResult } from './drafts.service.js';
import type { PlansBody } from './dto/contest.dto.js';

const SYSTEM = 'system';

/**
 * Monthly repeats (DESIGN §4): once a launched repeating contest's period is over, the next
 * calendar month's draft is made with plans proposed from the database (the simulator's rule), a
 * simulation of it is run on the server, and once done approved as its scenario with its
 * verdict. The draft is never launched here: it waits for its director.
 *
 * The lifecycle's tick runs {@link runDue} in every API process: the draft is made once per
 * source and month (a unique index, see the LaunchGate migration), and a run is approved once
 * (the draft's row is locked and must still wait for that run).
 */
@Injectable()
export class MonthlyRepeatsService {
  private readonly logger = new Logger(MonthlyRepeatsService.name);

  constructor(
    private readonly contests: ContestsRepository,
    private readonly drafts: DraftsService,
    private readonly simulations: SimulationsService,
    private readonly history: HistoryService,
    private readonly plans: PlansService,
  ) {}

  async runDue(now: Date): Promise<void> {
    // One contest's failure (its participant deleted meanwhile…) does not hold up the others.
    for (const source of await this.contests.repeatsDue(now)) {
      await this.repeat(source).catch((error: unknown) =>
        this.logger.warn(`contest ${source.id}: next month not made: ${String(error)}`),
      );
    }
    for (const draft of await this.contests.pendingSimulations()) {
      await this.settle(draft).catch((error: unknown) =>
        this.logger.warn(`contest ${draft.id}: simulation not approved: ${String(error)}`),
      );
    }
  }

  private async repeat(source: ContestRecord): Promise<void> {
    const plans = await this.proposedPlans(source);
    const id = await this.drafts.repeatNextMonth(source, plans, SYSTEM);
    if (id === null) return; // another process made it
    this.logger.log(`contest ${source.id}: next month's draft ${id}`);
    try {
      const run = await this.simulations.create({ contestId: id }, SYSTEM);
      await this.drafts.setPendingSimulation(id, run.id);
    } catch (error) {
      // The draft stays, not simulated: its director simulates it before the launch.
      this.logger.warn(`contest ${id}: its simulation could not start: ${String(error)}`);
    }
  }

  /** Approves a draft's server-side run once it is done; forgets a run that failed. */
  private async settle(draft: ContestRecord): Promise<void> {
    const simulationId = draft.pendingSimulationId;
    if (simulationId === null) return;
    const run = await this.simulations.get(simulationId);
    if (run.state === 'queued' || run.state === 'running') return;
    if (run.state !== 'done') {
      this.logger.warn(`contest ${draft.id}: its simulation ${simulationId} is ${run.state}`);
      await this.drafts.setPendingSimulation(draft.id, null, simulationId);
      return;
    }
    const result = run.result as {
      scenario: { uplift: number; correlation: number; trials: number; seed: number };
      baseline?: { marginMinor?: { meanMinor?: number } };
    };
    const { uplift, correlation, trials, seed } = result.scenario;
    const baseline = result.baseline?.marginMinor?.meanMinor;
    const approved = await this.drafts.approvePending(
      draft.id,
      simulationId,
      {
        scenario: scenarioSchema.parse({ uplift, correlation, trials, seed }),
        baselineMarginMinor: baseline === undefined ? null : Math.max(0, Math.round(baseline)),
      },
      verdictOfResult(run.result),
      SYSTEM,
    );
    if (approved) this.logger.log(`contest ${draft.id}: simulation ${simulationId} approved`);
  }

  /** Each participant's plan for the next month from the stored plans and history. */
  private async proposedPlans(source: ContestRecord): Promise<PlansBody> {
    const file = source.frozenFile ?? source.definition;
    const period = nextMonthOf(source);
    const plans: PlansBody = {};
    for (const participant of file.participants) {
      const [history, stored] = await Promise.all([
        this.history.get(participant.id),
        this.plans.get(participant.id),
      ]);
      // Nothing known of them: the plan they had.
      if (history.length === 0 && stored.length === 0) continue;
      plans[participant.id] = asPlan(
        planFromStored({ plans: stored, history, period, months: 1 }),
        participant.plan,
      );
    }
    return plans;
  }
}

/** A proposed plan in the contest file's units; products and counters stay as they were. */
function asPlan(proposed: ReturnType<typeof planFromStored>, before: Plan): Plan {
  const minor = (major: number | null) =>
    major === null ? undefined : roundHalfAwayFromZero(major * 100);
  const plan: Plan = {
    turnoverMinor: minor(proposed.turnover) ?? 0,
    marginMinor: minor(proposed.margin) ?? 0,
    ...(proposed.deals === null ? {} : { deals: proposed.deals }),
    ...(proposed.newClients === null ? {} : { newClients: proposed.newClients }),
    ...(proposed.avgCheck === null ? {} : { avgCheckMinor: minor(proposed.avgCheck) ?? 0 }),
    ...(proposed.conversion === null ? {} : { conversion: proposed.conversion }),
    ...(before.products === undefined ? {} : { products: before.products }),
    ...(before.counters === undefined ? {} : { counters: before.counters }),
  };
  return plan;
}
