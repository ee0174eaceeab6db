import {
  planFor,
  type ContestFile,
  type Criterion,
  type Leagues,
  type Prize,
} from '../rules/contest-file.schema.js';
import { DEFAULT_NEWCOMER_MONTHS, isNewcomerAt, type Contest } from '../rules/contest.js';
import { parseInstant } from '../rules/period.js';
import { parseContestFile } from '../rules/parse.js';
import { levelOf } from '../rules/describe-rules.js';
import {
  type MoneyParam,
  formatMoneyIn,
  formatNumberIn,
  formatShare,
  simulationMessage,
  SIMULATION_MESSAGES,
  type LocalizedText,
  type SimulationMessage,
} from './messages.js';
import type { Forecast } from './summary.js';

export type RemedyKey = 'percentOfPlan' | 'newcomerLeague' | 'capDominantCriterion' | 'extraPlace';

/** What a remedy changes in the contest file (whole fields, replacing the file's). */
export interface RemedyChanges {
  criteria?: Criterion[];
  prizes?: Prize[];
  leagues?: Leagues;
}

export interface RemedyProposal {
  key: RemedyKey;
  title: LocalizedText;
  description: SimulationMessage;
  changes: RemedyChanges;
}

/** The cap remedy caps the dominant criterion at this × the median participant's expected value. */
export const CAP_OVER_MEDIAN = 1.5;

/**
 * The file a remedy gives: its changes over the file. A newcomer league (leagues by tenure) also
 * marks each participant's `isNewcomer` as the contest judged it, so the file stays valid for
 * participants without `hiredOn`.
 */
export function applyRemedy({
  file,
  changes,
}: {
  file: ContestFile;
  changes: RemedyChanges;
}): ContestFile {
  const changed: ContestFile = { ...file, ...changes };
  if (changes.leagues?.by === 'tenure') {
    const startMs = parseInstant(file.period.start);
    const newcomerMonths = changes.leagues.newcomerMonths;
    changed.participants = file.participants.map((participant) =>
      participant.isNewcomer !== undefined
        ? participant
        : {
            ...participant,
            isNewcomer: isNewcomerAt({ participant, startMs, newcomerMonths }),
          },
    );
  }
  return changed;
}

/**
 * The remedies of DESIGN §3.5 that apply to an unbalanced contest, each with the file to
 * re-simulate: absolute criteria scored as a percentage of plan, a newcomer league, a cap on the
 * criterion that gives most points, one more place per prize group. A remedy that cannot apply
 * (no absolute criterion with plans, no newcomers or leagues already set, nothing to cap, a pool
 * already at 100 %) is left out.
 */
export function proposeRemedies({
  file,
  contest,
  forecast,
}: {
  file: ContestFile;
  contest: Contest;
  forecast: Forecast;
}): { proposal: RemedyProposal; file: ContestFile }[] {
  const proposals = [
    percentOfPlanRemedy({ file, forecast }),
    newcomerLeagueRemedy({ file, contest }),
    capRemedy({ file, forecast }),
    extraPlaceRemedy({ file }),
  ].filter((proposal): proposal is RemedyProposal => proposal !== null);
  const remedies: { proposal: RemedyProposal; file: ContestFile }[] = [];
  for (const proposal of proposals) {
    const parsed = parseContestFile(applyRemedy({ file, changes: proposal.changes }));
    // A change the rules refuse (e.g. a plan missing for a gate) is not offered.
    if (parsed.success) remedies.push({ proposal, file: parsed.data });
  }
  return remedies;
}

function proposal(
  key: RemedyKey,
  params: Record<string, string | number>,
  changes: RemedyChanges,
  money: Record<string, MoneyParam> = {},
  localized: Record<string, LocalizedText> = {},
): RemedyProposal {
  return {
    key,
    title: SIMULATION_MESSAGES[`remedy.${key}.title`],
    description: simulationMessage({
      key: `remedy.${key}.description`,
      severity: 'info',
      params,
      money,
      localized,
    }),
    changes,
  };
}

/**
 * A criterion as a remedy's text names it: its title, else its number as the rules editor counts
 * them from 1. The metric's identifier ("turnover") is not a word of either language the texts
 * are written in, so it is never the name.
 */
function criterionLabel(criterion: Criterion, index: number): string {
  return criterion.title ?? String(index + 1);
}

function percentOfPlanRemedy({
  file,
  forecast,
}: {
  file: ContestFile;
  forecast: Forecast;
}): RemedyProposal | null {
  const switched: string[] = [];
  const criteria = file.criteria.map((criterion, c): Criterion => {
    if (criterion.basis !== 'absolute') return criterion;
    const plans = file.participants.map(
      (participant) => planFor({ plan: participant.plan, measure: criterion }).value,
    );
    if (plans.some((plan) => plan === undefined || plan <= 0)) return criterion;
    // Keep the criterion's weight in the total: scale so the expected points stay the same.
    let absolutePoints = 0;
    let percentPoints = 0;
    forecast.meanValue.forEach((values, i) => {
      absolutePoints += forecast.meanNormalized[i]?.[c] ?? 0;
      percentPoints += (100 * (values[c] ?? 0)) / (plans[i] as number);
    });
    const scale = absolutePoints > 0 && percentPoints > 0 ? absolutePoints / percentPoints : 1;
    switched.push(criterionLabel(criterion, c));
    const { unit: _unit, cap: _cap, floor: _floor, ...rest } = criterion;
    return { ...rest, basis: 'percentOfPlan', weight: significant(criterion.weight * scale, 4) };
  });
  if (switched.length === 0) return null;
  return proposal('percentOfPlan', { criteria: switched.join(', ') }, { criteria });
}

function newcomerLeagueRemedy({
  file,
  contest,
}: {
  file: ContestFile;
  contest: Contest;
}): RemedyProposal | null {
  const newcomers = contest.participants.filter((participant) => participant.isNewcomer).length;
  if (file.leagues !== undefined || newcomers === 0 || newcomers === contest.participants.length) {
    return null;
  }
  const cheapest = file.prizes.reduce((low, prize) =>
    prize.costMinor < low.costMinor ? prize : low,
  );
  const newcomerPrize: Prize = {
    place: 1,
    title: cheapest.title,
    costMinor: cheapest.costMinor,
    league: 'newcomer',
  };
  if (file.funding.mode === 'pool') {
    const used = file.prizes.reduce((sum, prize) => sum + (prize.poolPercent ?? 0), 0);
    const percent = Math.min(cheapest.poolPercent ?? 0, 100 - used);
    if (!(percent > 0)) return null;
    newcomerPrize.poolPercent = percent;
  }
  return proposal(
    'newcomerLeague',
    {},
    {
      leagues: { by: 'tenure', newcomerMonths: DEFAULT_NEWCOMER_MONTHS },
      prizes: [...file.prizes.map((prize) => ({ ...prize, league: 'veteran' })), newcomerPrize],
    },
    { cost: { minor: cheapest.costMinor, currency: file.currency } },
  );
}

function capRemedy({
  file,
  forecast,
}: {
  file: ContestFile;
  forecast: Forecast;
}): RemedyProposal | null {
  let dominant = -1;
  forecast.criteriaPointsShare.forEach((share, c) => {
    if (dominant === -1 || share > (forecast.criteriaPointsShare[dominant] ?? 0)) dominant = c;
  });
  const criterion = file.criteria[dominant];
  if (criterion === undefined) return null;
  const normalized = forecast.meanNormalized
    .map((values) => values[dominant] ?? 0)
    .sort((a, b) => a - b);
  const middle = normalized[Math.floor(normalized.length / 2)] ?? 0;
  const cap = significant(CAP_OVER_MEDIAN * middle, 3);
  if (!(cap > 0) || (criterion.cap !== undefined && criterion.cap <= cap)) return null;
  if (criterion.floor !== undefined && criterion.floor > cap) return null;
  const criteria = file.criteria.map((each, c) => (c === dominant ? { ...each, cap } : each));
  return proposal(
    'capDominantCriterion',
    {
      criterion: criterionLabel(criterion, dominant),
      pointsShare: formatShare(forecast.criteriaPointsShare[dominant] ?? 0),
      cap,
      basis: criterion.basis,
    },
    { criteria },
    {},
    { capLevel: capLevel({ criterion, cap, currency: file.currency }) },
  );
}

/**
 * A cap as the seller measures it (the rules' `levelOf`), in both languages: an amount of the
 * metric (absolute: a cap of 518 at ₽1,000 a unit is ₽518,000), a percentage of plan, or a
 * growth in %.
 */
function capLevel({
  criterion,
  cap,
  currency,
}: {
  criterion: Criterion;
  cap: number;
  currency: string;
}): LocalizedText {
  const both = (write: (locale: keyof LocalizedText) => string): LocalizedText => ({
    en: write('en'),
    ru: write('ru'),
  });
  const level = levelOf({ measure: criterion, value: cap, unit: criterion.unit ?? 1 });
  switch (level.basis) {
    case 'percentOfPlan':
      return both((locale) => `${formatNumberIn(locale, level.percent)} % ${PLAN[locale]}`);
    case 'growth':
      return both((locale) => `${formatNumberIn(locale, level.percent)} % ${GROWTH[locale]}`);
    case 'absolute': {
      const amount = level.amount;
      if (amount.kind === 'money') {
        return both((locale) =>
          formatMoneyIn(locale, { minor: Math.round(amount.minor), currency }),
        );
      }
      const suffix = amount.kind === 'percent' ? ' %' : '';
      return both((locale) => `${formatNumberIn(locale, amount.n)}${suffix}`);
    }
  }
}

const PLAN: LocalizedText = { en: 'of plan', ru: 'плана' };
const GROWTH: LocalizedText = { en: 'growth', ru: 'роста' };

function extraPlaceRemedy({ file }: { file: ContestFile }): RemedyProposal | null {
  const groups = [...new Set(file.prizes.map((prize) => prize.league))];
  const added: Prize[] = [];
  for (const league of groups) {
    const places = file.prizes.filter((prize) => prize.league === league);
    const last = places.reduce((high, prize) => (prize.place > high.place ? prize : high));
    added.push({ ...last, place: last.place + 1 });
  }
  if (file.funding.mode === 'pool') {
    const used = file.prizes.reduce((sum, prize) => sum + (prize.poolPercent ?? 0), 0);
    const extra = added.reduce((sum, prize) => sum + (prize.poolPercent ?? 0), 0);
    if (used + extra > 100 + 1e-9) return null;
  }
  const cost = added.reduce((sum, prize) => sum + prize.costMinor, 0);
  return proposal(
    'extraPlace',
    {},
    { prizes: [...file.prizes, ...added] },
    { cost: { minor: cost, currency: file.currency } },
  );
}

function significant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}
