import { describe, expect, it } from '@jest/globals';
import { contestFile, participant } from '../../test-support/contest-fixture.js';
import { contestRulesOf, contestRulesSchema } from './contest-rules.js';
import { describeRules } from './describe-rules.js';

/** Every kind of rule at once: caps, floors, minimum samples, gates, leagues, guarantee, cap. */
const everyRule = contestFile({
  name: 'Every rule',
  description: 'Read me',
  period: { start: '2026-03-01', end: '2026-05-01' },
  funding: { fundShare: 0.3, guaranteedMinor: 5_000_000, capMinor: 50_000_000 },
  prizes: [
    { place: 1, league: 'veteran', title: 'Trip', costMinor: 15_000_000 },
    { place: 2, league: 'veteran', title: 'Phone', costMinor: 8_000_000 },
    { place: 1, league: 'newcomer', title: 'Gift', costMinor: 2_500_000 },
  ],
  criteria: [
    {
      metric: 'turnover',
      basis: 'percentOfPlan',
      weight: 1,
      cap: 200,
      title: 'Turnover, % of plan',
    },
    { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10, cap: 10 },
    { metric: 'margin', basis: 'absolute', unit: 1_000_000, weight: 0.5, floor: 0 },
    { metric: 'deals', basis: 'growth', weight: 2, floor: -50, cap: 100 },
    { metric: 'conversion', basis: 'absolute', unit: 5, weight: 1, minLeads: 10 },
    { metric: 'avgCheck', basis: 'absolute', unit: 100_000, weight: 1 },
    { metric: 'counter', name: 'calls', basis: 'absolute', unit: 20, weight: 1 },
    { metric: 'productUnits', product: 'Widget', basis: 'absolute', unit: 1, weight: 3 },
  ],
  eligibility: [
    { metric: 'turnover', basis: 'percentOfPlan', min: 90 },
    { metric: 'deals', basis: 'absolute', min: 3 },
    { metric: 'turnover', basis: 'absolute', min: 5_000_000 },
    { metric: 'conversion', basis: 'growth', min: 10, minDeals: 2 },
  ],
  leagues: { by: 'tenure', newcomerMonths: 4 },
  teamStandings: { aggregate: 'average' },
  participants: [
    participant('a', {
      team: 'North',
      hiredOn: '2020-01-01',
      plan: { deals: 10, newClients: 2 },
      history: [
        { month: '2026-02', turnoverMinor: 90_000_000, marginMinor: 1, deals: 8, leads: 20 },
      ],
    }),
    participant('b', { team: 'South', hiredOn: '2026-01-15', plan: { deals: 10 } }),
    participant('c', { hiredOn: '2019-05-01', plan: { deals: 10 } }),
  ],
});

const noImages = () => false;

describe(describeRules.name, () => {
  const sut = describeRules({ rules: contestRulesOf({ file: everyRule, hasImage: noImages }) });

  it('gives the period, its length in months and the description', () => {
    expect(sut.period).toEqual({
      start: '2026-03-01T00:00:00.000Z',
      end: '2026-05-01T00:00:00.000Z',
      months: 2,
    });
    expect(sut.description).toBe('Read me');
    expect(sut.currency).toBe('RUB');
  });

  it('states each criterion with its weight, unit, basis, cap and floor in the seller’s units', () => {
    const [turnover, clients, margin, deals] = sut.criteria;
    expect(turnover).toEqual({
      measure: { metric: 'turnover', product: null, name: null },
      title: 'Turnover, % of plan',
      basis: 'percentOfPlan',
      weight: 1,
      per: null,
      cap: { level: { basis: 'percentOfPlan', percent: 200 }, points: 200 },
      floor: null,
      minSample: null,
    });
    // A cap of 10 normalized points per 1 client: 10 clients, worth 100 points.
    expect(clients).toMatchObject({
      basis: 'absolute',
      weight: 10,
      per: { kind: 'count', n: 1 },
      cap: { level: { basis: 'absolute', amount: { kind: 'count', n: 10 } }, points: 100 },
      floor: null,
    });
    // Money units are minor units: 0.5 points per 10,000.00 of margin; nothing below zero.
    expect(margin).toMatchObject({
      per: { kind: 'money', minor: 1_000_000 },
      weight: 0.5,
      cap: null,
      floor: { level: { basis: 'absolute', amount: { kind: 'money', minor: 0 } }, points: 0 },
    });
    expect(deals).toMatchObject({
      basis: 'growth',
      per: null,
      cap: { level: { basis: 'growth', percent: 100 }, points: 200 },
      floor: { level: { basis: 'growth', percent: -50 }, points: -100 },
    });
  });

  it('names the minimum sample of ratio metrics, with the scoring’s defaults', () => {
    const conversion = sut.criteria[4];
    const avgCheck = sut.criteria[5];
    expect(conversion?.per).toEqual({ kind: 'percent', n: 5 });
    expect(conversion?.minSample).toEqual({ deals: 0, leads: 10 });
    expect(avgCheck?.per).toEqual({ kind: 'money', minor: 100_000 });
    expect(avgCheck?.minSample).toEqual({ deals: 1, leads: 0 });
  });

  it('names the counter and the product a criterion counts', () => {
    expect(sut.criteria[6]?.measure).toEqual({ metric: 'counter', product: null, name: 'calls' });
    expect(sut.criteria[6]?.per).toEqual({ kind: 'count', n: 20 });
    expect(sut.criteria[7]?.measure).toEqual({
      metric: 'productUnits',
      product: 'Widget',
      name: null,
    });
  });

  it('gives every gate as the level to reach', () => {
    expect(sut.gates).toEqual([
      {
        measure: { metric: 'turnover', product: null, name: null },
        min: { basis: 'percentOfPlan', percent: 90 },
        minSample: null,
      },
      {
        measure: { metric: 'deals', product: null, name: null },
        min: { basis: 'absolute', amount: { kind: 'count', n: 3 } },
        minSample: null,
      },
      {
        measure: { metric: 'turnover', product: null, name: null },
        min: { basis: 'absolute', amount: { kind: 'money', minor: 5_000_000 } },
        minSample: null,
      },
      {
        measure: { metric: 'conversion', product: null, name: null },
        min: { basis: 'growth', percent: 10 },
        minSample: { deals: 2, leads: 1 },
      },
    ]);
  });

  it('gives the leagues with the newcomer threshold, and the prizes by league', () => {
    expect(sut.leagues).toEqual({
      by: 'tenure',
      newcomerMonths: 4,
      leagues: ['veteran', 'newcomer'],
    });
    expect(sut.prizeGroups.map((group) => group.league)).toEqual(['veteran', 'newcomer']);
    expect(sut.prizeGroups[0]?.prizes.map((prize) => prize.title)).toEqual(['Trip', 'Phone']);
  });

  it('says what unlocks each prize: in order of place, the guarantee first', () => {
    // Places in order (every league's 1st before any 2nd): 150,000, +25,000, +80,000.
    const [veteran, newcomer] = sut.prizeGroups;
    expect(veteran?.prizes.map((prize) => prize.requiredFundMinor)).toEqual([
      15_000_000, 25_500_000,
    ]);
    expect(newcomer?.prizes.map((prize) => prize.requiredFundMinor)).toEqual([17_500_000]);
    // Fund ÷ 0.3 of margin above plan.
    expect(veteran?.prizes.map((prize) => prize.aboveplanMarginMinor)).toEqual([
      50_000_000, 85_000_000,
    ]);
  });

  it('states the funding rule: share, guarantee, cap, mode and what pays every prize', () => {
    expect(sut.funding).toEqual({
      sharePercent: 30,
      guaranteedMinor: 5_000_000,
      capMinor: 50_000_000,
      mode: 'unlockInOrder',
      totalCostMinor: 25_500_000,
      allPrizes: { fundMinor: 25_500_000, aboveplanMarginMinor: 85_000_000 },
    });
  });

  it('gives team standings with their aggregate and number of teams', () => {
    expect(sut.teams).toEqual({ aggregate: 'average', teams: 2 });
  });
});

describe('funding edge cases', () => {
  it('a prize the guarantee pays needs no margin; one above the cap is never paid', () => {
    const file = contestFile({
      funding: { fundShare: 0.5, guaranteedMinor: 200_000, capMinor: 300_000 },
      prizes: [
        { place: 1, title: 'Paid anyway', costMinor: 200_000 },
        { place: 2, title: 'Too dear', costMinor: 200_000 },
      ],
    });
    const sut = describeRules({ rules: contestRulesOf({ file, hasImage: noImages }) });
    expect(sut.prizeGroups[0]?.prizes.map((prize) => prize.aboveplanMarginMinor)).toEqual([
      0,
      null,
    ]);
    expect(sut.funding.allPrizes).toEqual({ fundMinor: 400_000, aboveplanMarginMinor: null });
    expect(sut.leagues).toBeNull();
    expect(sut.gates).toEqual([]);
    expect(sut.teams).toBeNull();
  });

  it('a pool gives each place its share; no guarantee is null', () => {
    const file = contestFile({
      funding: { fundShare: 0.25, mode: 'pool' },
      prizes: [
        { place: 1, title: 'Half', costMinor: 100_000, poolPercent: 50 },
        { place: 2, title: 'Fifth', costMinor: 100_000, poolPercent: 20 },
      ],
    });
    const sut = describeRules({ rules: contestRulesOf({ file, hasImage: noImages }) });
    expect(
      sut.prizeGroups[0]?.prizes.map((prize) => [prize.poolPercent, prize.requiredFundMinor]),
    ).toEqual([
      [50, 200_000],
      [20, 500_000],
    ]);
    expect(sut.funding).toMatchObject({
      mode: 'pool',
      guaranteedMinor: null,
      capMinor: null,
      allPrizes: { fundMinor: 500_000, aboveplanMarginMinor: 2_000_000 },
    });
  });
});

describe(contestRulesOf.name, () => {
  it('keeps no plan, history or participant, and marks the prizes that have a picture', () => {
    const sut = contestRulesOf({
      file: everyRule,
      hasImage: (prize) => prize.league === 'newcomer' && prize.place === 1,
    });
    expect(contestRulesSchema.strict().safeParse(sut).success).toBe(true);
    const text = JSON.stringify(sut);
    // Keys of the file that must not travel, a team name and the plans' turnover (1,000,000.00).
    for (const secret of [
      '"participants"',
      '"plan"',
      '"history"',
      '"hiredOn"',
      '"scenario"',
      'North',
      '100000000',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(sut.prizes.map((prize) => prize.hasImage)).toEqual([false, false, true]);
    expect(sut.leagues).toEqual({ by: 'tenure', newcomerMonths: 4 });
    expect(sut.criteria[2]).toEqual({
      metric: 'margin',
      product: null,
      name: null,
      basis: 'absolute',
      minDeals: null,
      minLeads: null,
      title: null,
      unit: 1_000_000,
      weight: 0.5,
      cap: null,
      floor: 0,
    });
  });
});
