// Builders for simulation specs: sellers whose history has an exact mean and coefficient of
// variation, and the normal distribution for closed forms.
import type { ContestFileInput } from '../src/rules/contest-file.schema.js';

type ParticipantInput = ContestFileInput['participants'][number];

/**
 * A seller with three history months m(1 − cv), m, m(1 + cv): mean m, sample CV exactly cv, a
 * 20 % margin, and a plan of `planFactor` × their mean (default 1) for a one-month contest.
 */
export function seller(
  id: string,
  {
    meanMinor,
    cv = 0.2,
    newcomer = false,
    team,
    planFactor = 1,
    deals,
    newClients,
  }: {
    meanMinor: number;
    cv?: number;
    newcomer?: boolean;
    team?: string;
    planFactor?: number;
    deals?: number;
    newClients?: number;
  },
): ParticipantInput {
  const months = [1 - cv, 1, 1 + cv].map((factor, index) => {
    const turnoverMinor = Math.round(meanMinor * factor);
    return {
      month: `2026-0${index + 1}`,
      turnoverMinor,
      marginMinor: Math.round(turnoverMinor * 0.2),
      ...(deals === undefined ? {} : { deals }),
      ...(newClients === undefined ? {} : { newClients }),
    };
  });
  const planTurnover = Math.round(meanMinor * planFactor);
  return {
    id,
    name: id.toUpperCase(),
    ...(team === undefined ? {} : { team }),
    hiredOn: newcomer ? '2026-01-01' : '2020-01-01',
    plan: {
      turnoverMinor: planTurnover,
      marginMinor: Math.round(planTurnover * 0.2),
      ...(newClients === undefined ? {} : { newClients: newClients * planFactor }),
    },
    history: months,
  };
}

/** A one-month contest (April 2026) over `participants`, turnover scored 1 point per 100.00. */
export function simulationInput(
  participants: ParticipantInput[],
  overrides: Partial<ContestFileInput> = {},
): ContestFileInput {
  return {
    name: 'Simulation spec',
    period: { start: '2026-04-01', end: '2026-05-01' },
    funding: { fundShare: 0.5 },
    prizes: [{ place: 1, title: 'Prize', costMinor: 1_000_000 }],
    criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000 }],
    participants,
    ...overrides,
  };
}

/** The standard normal CDF (Abramowitz & Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
