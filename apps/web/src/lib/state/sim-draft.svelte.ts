import {
  addUtcMonths,
  monthsBetween,
  parseContestFile,
  parseInstant,
  simulationIssues,
  type Basis,
  type ContestFile,
  type FundingMode,
  type HistoryMonth,
  type Leagues,
  type MetricName,
  type Participant,
  type Plan,
  type ValidationIssue,
} from '@podium/contest-model';

/*
 * The simulator's editable contest: the contest file in the units a director types (money in
 * major units, shares in percent), turned into a contest file and validated by the shared schema
 * on every change. Field paths are the file's JSON paths, so each issue lands next to its field.
 */

export const MONEY_METRICS: readonly MetricName[] = [
  'turnover',
  'margin',
  'avgCheck',
  'productTurnover',
];

/** Whether an amount of this metric on this basis is money (typed in major units). */
export function isMoneyMeasure(metric: MetricName, basis: Basis): boolean {
  return basis === 'absolute' && MONEY_METRICS.includes(metric);
}

export interface MeasureDraft {
  metric: MetricName;
  basis: Basis;
  product: string;
  name: string;
  minDeals: number | null;
  minLeads: number | null;
}

export interface CriterionDraft extends MeasureDraft {
  title: string;
  unit: number | null;
  weight: number | null;
  cap: number | null;
  floor: number | null;
}

export interface GateDraft extends MeasureDraft {
  min: number | null;
}

export interface PrizeDraft {
  place: number | null;
  title: string;
  /** Major units. */
  cost: number | null;
  league: string;
  poolPercent: number | null;
  /** Kept as the file had it (an image reference). */
  image: string;
}

export interface PlanDraft {
  turnover: number | null;
  margin: number | null;
  deals: number | null;
  newClients: number | null;
  avgCheck: number | null;
  conversion: number | null;
  /** Product and counter plans, kept as the file had them. */
  products: Plan['products'];
  counters: Plan['counters'];
}

export interface ParticipantDraft {
  id: string;
  name: string;
  team: string;
  role: 'hunter' | 'farmer' | '';
  hiredOn: string;
  isNewcomer: boolean | null;
  league: string;
  plan: PlanDraft;
  history: HistoryMonth[];
  stats: Participant['stats'];
}

export interface RulesDraft {
  name: string;
  description: string;
  currency: string;
  start: string;
  end: string;
  fundSharePercent: number | null;
  guarantee: number | null;
  cap: number | null;
  mode: FundingMode;
  prizes: PrizeDraft[];
  criteria: CriterionDraft[];
  eligibility: GateDraft[];
  leaguesBy: Leagues['by'] | '';
  newcomerMonths: number | null;
  teamAggregate: 'sum' | 'average';
  upliftPercent: number | null;
  correlation: number | null;
  trials: number | null;
  seed: number | null;
}

const toMinor = (major: number | null): number | undefined =>
  major === null || !Number.isFinite(major) ? undefined : Math.round(major * 100);
const toMajor = (minor: number): number => minor / 100;
const optional = <T>(value: T | null | ''): T | undefined =>
  value === null || value === '' || (typeof value === 'number' && !Number.isFinite(value))
    ? undefined
    : value;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function emptyCriterion(): CriterionDraft {
  return {
    metric: 'turnover',
    basis: 'percentOfPlan',
    product: '',
    name: '',
    minDeals: null,
    minLeads: null,
    title: '',
    unit: null,
    weight: 1,
    cap: null,
    floor: null,
  };
}

export function emptyGate(): GateDraft {
  return {
    metric: 'turnover',
    basis: 'percentOfPlan',
    product: '',
    name: '',
    minDeals: null,
    minLeads: null,
    min: 100,
  };
}

export function emptyPrize(place: number): PrizeDraft {
  return { place, title: '', cost: null, league: '', poolPercent: null, image: '' };
}

/** A new contest: next calendar month, 30 % of above-plan margin, three prizes, turnover points. */
export function defaultRules(
  nowMs: number,
  name: string,
  prizeTitles: readonly string[] = [],
): RulesDraft {
  // Read once, never mutated: not state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const now = new Date(nowMs);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return {
    name,
    description: '',
    currency: 'RUB',
    start: isoDate(start),
    end: isoDate(addUtcMonths({ ms: start, months: 1 })),
    fundSharePercent: 30,
    guarantee: 0,
    cap: null,
    mode: 'unlockInOrder',
    prizes: [
      { ...emptyPrize(1), title: prizeTitles[0] ?? '', cost: 150_000 },
      { ...emptyPrize(2), title: prizeTitles[1] ?? '', cost: 80_000 },
      { ...emptyPrize(3), title: prizeTitles[2] ?? '', cost: 25_000 },
    ],
    criteria: [{ ...emptyCriterion(), basis: 'absolute', unit: 10_000, title: '' }],
    eligibility: [],
    leaguesBy: '',
    newcomerMonths: 6,
    teamAggregate: 'sum',
    upliftPercent: 10,
    correlation: 0.3,
    trials: 10_000,
    seed: 1,
  };
}

function measureInput(measure: MeasureDraft) {
  return {
    metric: measure.metric,
    basis: measure.basis,
    product: optional(measure.product.trim()),
    name: optional(measure.name.trim()),
    minDeals: optional(measure.minDeals),
    minLeads: optional(measure.minLeads),
  };
}

function planInput(plan: PlanDraft) {
  return {
    turnoverMinor: toMinor(plan.turnover),
    marginMinor: toMinor(plan.margin),
    deals: optional(plan.deals),
    newClients: optional(plan.newClients),
    avgCheckMinor: toMinor(plan.avgCheck),
    conversion: optional(plan.conversion),
    products: plan.products,
    counters: plan.counters,
  };
}

/** The contest file input (before validation) the draft stands for. */
export function draftToInput(rules: RulesDraft, participants: readonly ParticipantDraft[]) {
  const strip = <T extends object>(value: T): T =>
    Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
  return {
    name: rules.name.trim(),
    description: optional(rules.description.trim()),
    currency: rules.currency.trim().toUpperCase(),
    period: { start: rules.start, end: rules.end },
    funding: strip({
      fundShare: rules.fundSharePercent === null ? undefined : Number(rules.fundSharePercent) / 100,
      guaranteedMinor: toMinor(rules.guarantee) ?? 0,
      capMinor: toMinor(rules.cap) ?? null,
      mode: rules.mode,
    }),
    prizes: rules.prizes.map((prize) =>
      strip({
        place: optional(prize.place),
        title: prize.title.trim(),
        costMinor: toMinor(prize.cost),
        league: optional(prize.league.trim()),
        poolPercent: rules.mode === 'pool' ? optional(prize.poolPercent) : undefined,
        image: optional(prize.image),
      }),
    ),
    criteria: rules.criteria.map((criterion) => {
      const money = isMoneyMeasure(criterion.metric, criterion.basis);
      return strip({
        ...measureInput(criterion),
        title: optional(criterion.title.trim()),
        unit:
          criterion.basis === 'absolute'
            ? money
              ? toMinor(criterion.unit)
              : optional(criterion.unit)
            : undefined,
        weight: optional(criterion.weight),
        cap: optional(criterion.cap),
        floor: optional(criterion.floor),
      });
    }),
    eligibility: rules.eligibility.map((gate) =>
      strip({
        ...measureInput(gate),
        min: isMoneyMeasure(gate.metric, gate.basis) ? toMinor(gate.min) : optional(gate.min),
      }),
    ),
    leagues:
      rules.leaguesBy === ''
        ? undefined
        : strip({ by: rules.leaguesBy, newcomerMonths: optional(rules.newcomerMonths) }),
    teamStandings: { aggregate: rules.teamAggregate },
    participants: participants.map((participant) =>
      strip({
        id: participant.id.trim(),
        name: participant.name.trim(),
        team: optional(participant.team.trim()),
        role: optional(participant.role),
        hiredOn: optional(participant.hiredOn),
        isNewcomer: optional(participant.isNewcomer),
        league: optional(participant.league.trim()),
        plan: strip(planInput(participant.plan)),
        history: participant.history.length > 0 ? participant.history : undefined,
        stats: participant.stats,
      }),
    ),
    scenario: strip({
      uplift: rules.upliftPercent === null ? undefined : Number(rules.upliftPercent) / 100,
      correlation: optional(rules.correlation),
      trials: optional(rules.trials),
      seed: optional(rules.seed),
    }),
  };
}

function measureDraft(measure: {
  metric: MetricName;
  basis: Basis;
  product?: string | undefined;
  name?: string | undefined;
  minDeals?: number | undefined;
  minLeads?: number | undefined;
}): MeasureDraft {
  return {
    metric: measure.metric,
    basis: measure.basis,
    product: measure.product ?? '',
    name: measure.name ?? '',
    minDeals: measure.minDeals ?? null,
    minLeads: measure.minLeads ?? null,
  };
}

export function planDraft(plan: Plan): PlanDraft {
  return {
    turnover: toMajor(plan.turnoverMinor),
    margin: toMajor(plan.marginMinor),
    deals: plan.deals ?? null,
    newClients: plan.newClients ?? null,
    avgCheck: plan.avgCheckMinor === undefined ? null : toMajor(plan.avgCheckMinor),
    conversion: plan.conversion ?? null,
    products: plan.products,
    counters: plan.counters,
  };
}

/** The draft of a validated contest file (a saved draft, or the file a remedy gives). */
export function fileToDraft(file: ContestFile): {
  rules: RulesDraft;
  participants: ParticipantDraft[];
} {
  const rules: RulesDraft = {
    name: file.name,
    description: file.description ?? '',
    currency: file.currency,
    start: file.period.start,
    end: file.period.end,
    fundSharePercent: Math.round(file.funding.fundShare * 100 * 1e6) / 1e6,
    guarantee: toMajor(file.funding.guaranteedMinor),
    cap: file.funding.capMinor === null ? null : toMajor(file.funding.capMinor),
    mode: file.funding.mode,
    prizes: file.prizes.map((prize) => ({
      place: prize.place,
      title: prize.title,
      cost: toMajor(prize.costMinor),
      league: prize.league ?? '',
      poolPercent: prize.poolPercent ?? null,
      image: prize.image ?? '',
    })),
    criteria: file.criteria.map((criterion) => ({
      ...measureDraft(criterion),
      title: criterion.title ?? '',
      unit:
        criterion.unit === undefined
          ? null
          : isMoneyMeasure(criterion.metric, criterion.basis)
            ? toMajor(criterion.unit)
            : criterion.unit,
      weight: criterion.weight,
      cap: criterion.cap ?? null,
      floor: criterion.floor ?? null,
    })),
    eligibility: file.eligibility.map((gate) => ({
      ...measureDraft(gate),
      min: isMoneyMeasure(gate.metric, gate.basis) ? toMajor(gate.min) : gate.min,
    })),
    leaguesBy: file.leagues?.by ?? '',
    newcomerMonths: file.leagues?.newcomerMonths ?? 6,
    teamAggregate: file.teamStandings.aggregate,
    upliftPercent: Math.round((file.scenario?.uplift ?? 0.1) * 100 * 1e6) / 1e6,
    correlation: file.scenario?.correlation ?? 0.3,
    trials: file.scenario?.trials ?? 10_000,
    seed: file.scenario?.seed ?? 1,
  };
  const participants = file.participants.map((participant): ParticipantDraft => ({
    id: participant.id,
    name: participant.name,
    team: participant.team ?? '',
    role: participant.role ?? '',
    hiredOn: participant.hiredOn ?? '',
    isNewcomer: participant.isNewcomer ?? null,
    league: participant.league ?? '',
    plan: planDraft(participant.plan),
    history: participant.history ?? [],
    stats: participant.stats,
  }));
  return { rules, participants };
}

/** Contest length in months (fractional), or 1 while the period is not valid yet. */
export function contestMonths(rules: Pick<RulesDraft, 'start' | 'end'>): number {
  try {
    const startMs = parseInstant(rules.start);
    const endMs = parseInstant(rules.end);
    if (!(endMs > startMs)) return 1;
    return monthsBetween({ startMs, endMs });
  } catch {
    return 1;
  }
}

/**
 * The default plan for the contest: the monthly mean of the history × the contest's months
 * (turnover, margin, deals, new clients), and the historical average check and conversion.
 */
export function planFromHistory(history: readonly HistoryMonth[], months: number): PlanDraft {
  const n = history.length;
  const sum = (pick: (month: HistoryMonth) => number | undefined) =>
    history.reduce((total, month) => total + (pick(month) ?? 0), 0);
  const has = (pick: (month: HistoryMonth) => number | undefined) =>
    history.some((month) => pick(month) !== undefined);
  const perContest = (total: number) => (n === 0 ? 0 : (total / n) * months);
  const turnover = sum((month) => month.turnoverMinor);
  const deals = sum((month) => month.deals);
  const leads = sum((month) => month.leads);
  return {
    // Whole currency units: a plan is a target, not an accounting figure.
    turnover: Math.round(perContest(turnover) / 100),
    margin: Math.round(perContest(sum((month) => month.marginMinor)) / 100),
    deals: has((month) => month.deals) ? Math.round(perContest(deals) * 10) / 10 : null,
    newClients: has((month) => month.newClients)
      ? Math.round(perContest(sum((month) => month.newClients)) * 10) / 10
      : null,
    avgCheck: deals > 0 ? Math.round(turnover / deals) / 100 : null,
    conversion: leads > 0 ? Math.round((1000 * deals) / leads) / 10 : null,
    products: undefined,
    counters: undefined,
  };
}

/** The editor's contest and participants, validated live. */
export class SimDraft {
  #rules = $state<RulesDraft>(defaultRules(Date.now(), ''));
  #participants = $state<ParticipantDraft[]>([]);
  /** The saved draft contest this edits, if any. */
  #contestId = $state<string | null>(null);
  /** Issues the server named on the last save, until the draft changes. */
  #serverIssues = $state.raw<ValidationIssue[]>([]);
  /** Prize pictures chosen here, uploaded after the next save; key `place|league`. */
  #images = $state.raw<Readonly<Record<string, File>>>({});

  readonly input = $derived(draftToInput(this.#rules, this.#participants));

  readonly parsed = $derived.by(() => {
    const parsed = parseContestFile(this.input);
    if (!parsed.success) return parsed;
    const extra = simulationIssues(parsed.data);
    return extra.length > 0 ? { success: false as const, issues: extra } : parsed;
  });

  /** Every issue by JSON path: the schema's and, after a refused save, the server's. */
  readonly issues = $derived.by(() => {
    // Built afresh by each derivation and never mutated afterwards.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byPath = new Map<string, string[]>();
    const all = [...(this.parsed.success ? [] : this.parsed.issues), ...this.#serverIssues];
    for (const issue of all)
      byPath.set(issue.path, [...(byPath.get(issue.path) ?? []), issue.message]);
    return byPath;
  });

  readonly months = $derived(contestMonths(this.#rules));

  /** A new contest named `name`, its three default prizes titled `prizeTitles`. */
  constructor(name: string, prizeTitles: readonly string[]) {
    this.#rules = defaultRules(Date.now(), name, prizeTitles);
  }

  get rules(): RulesDraft {
    return this.#rules;
  }

  get participants(): ParticipantDraft[] {
    return this.#participants;
  }

  set participants(participants: ParticipantDraft[]) {
    this.#participants = participants;
  }

  get contestId(): string | null {
    return this.#contestId;
  }

  set contestId(id: string | null) {
    this.#contestId = id;
  }

  get serverIssues(): ValidationIssue[] {
    return this.#serverIssues;
  }

  set serverIssues(issues: ValidationIssue[]) {
    this.#serverIssues = issues;
  }

  get images(): Readonly<Record<string, File>> {
    return this.#images;
  }

  setImage(key: string, file: File | null): void {
    const { [key]: _previous, ...rest } = this.#images;
    this.#images = file === null ? rest : { ...rest, [key]: file };
  }

  clearImages(): void {
    this.#images = {};
  }

  /** Replaces rules and participants with a file's (a loaded draft, an applied remedy). */
  load(file: ContestFile): void {
    const { rules, participants } = fileToDraft(file);
    this.#rules = rules;
    this.#participants = participants;
    this.#serverIssues = [];
  }

  /** Plans back to the historical monthly mean × the contest's months. */
  resetPlans(): void {
    for (const participant of this.#participants) {
      if (participant.history.length === 0) continue;
      const { products, counters } = participant.plan;
      participant.plan = {
        ...planFromHistory(participant.history, this.months),
        products,
        counters,
      };
    }
  }
}
