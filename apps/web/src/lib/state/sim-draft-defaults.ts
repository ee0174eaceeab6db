import { addUtcMonths } from '@podium/contest-model';
import type { CriterionDraft, GateDraft, PrizeDraft, RulesDraft } from './sim-draft-types.js';

/* A new contest's rules, and the empty criterion, gate and prize the editor adds. */

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
