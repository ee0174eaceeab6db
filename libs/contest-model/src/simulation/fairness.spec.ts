import { describe, expect, it } from '@jest/globals';
import { parseValid } from '../../test-support/contest-fixture.js';
import { seller, simulationInput } from '../../test-support/simulation-fixture.js';
import { applyRemedy } from './remedies.js';
import { simulate } from './simulate.js';

// Newcomers (a quarter of the team) sell a third of what veterans sell, and plan accordingly.
function team() {
  return [
    ...Array.from({ length: 12 }, (_value, index) =>
      seller(`v${index}`, { meanMinor: 3e8 * (0.9 + index / 60), team: index % 2 ? 'N' : 'S' }),
    ),
    ...Array.from({ length: 4 }, (_value, index) =>
      seller(`n${index}`, { meanMinor: 1e8, newcomer: true, team: index % 2 ? 'N' : 'S' }),
    ),
  ];
}

const prizes = [
  { place: 1, title: 'Trip', costMinor: 3_000_000 },
  { place: 2, title: 'Phone', costMinor: 2_000_000 },
  { place: 3, title: 'Headphones', costMinor: 1_000_000 },
];

describe('simulate: fairness verdict and remedies', () => {
  it('finds absolute turnover unbalanced for newcomers, and percentOfPlan fixes their share', async () => {
    const file = parseValid(
      simulationInput(team(), { prizes, scenario: { trials: 1000, seed: 12, uplift: 0.1 } }),
    );
    const result = await simulate(file);
    expect(result.fairness.verdict).toBe('unbalanced');
    expect(result.fairness.newcomerHeadcountShare).toBe(0.25);
    expect(result.fairness.newcomerPrizeShare).toBeLessThan(0.125);
    const warning = result.fairness.warnings.find((each) => each.key === 'fairness.newcomers');
    expect(warning?.severity).toBe('warning');
    expect(warning?.text.en).toMatch(
      /^Newcomers hold \d+(\.\d)? % of prize chances but are 25 % of the team\.$/,
    );
    expect(warning?.text.ru).toContain('25 %');

    expect(result.remedies.map((remedy) => remedy.key)).toEqual([
      'percentOfPlan',
      'newcomerLeague',
      'capDominantCriterion',
      'extraPlace',
    ]);
    const percent = result.remedies.find((remedy) => remedy.key === 'percentOfPlan');
    expect(percent?.changes.criteria?.[0]?.basis).toBe('percentOfPlan');
    // The criterion has no title: the texts call it by its number, never by the metric's id.
    expect(percent?.description.text.en).toMatch(
      /^Absolute criteria \(1\) switch to a percentage of plan,/,
    );
    expect(percent?.description.text.ru).toMatch(
      /^Абсолютные критерии \(1\) переходят на % от плана/,
    );
    const cap = result.remedies.find((remedy) => remedy.key === 'capDominantCriterion');
    expect(cap?.description.text.en).toMatch(/^Criterion 1 gives 100 % of all points;/);
    expect(cap?.description.text.ru).toMatch(/^Критерий 1 даёт 100 % всех баллов;/);
    // The cap is named as the seller measures it: ₽100 of turnover a point (unit 10,000 kopecks).
    const capPoints = cap?.changes.criteria?.[0]?.cap ?? 0;
    expect(capPoints).toBeGreaterThan(0);
    const capRoubles = /only up to ₽([\d,]+)\.$/.exec(cap?.description.text.en ?? '')?.[1];
    expect(Number(capRoubles?.replaceAll(',', ''))).toBe(capPoints * 100);
    const capRoublesRu = /только до ([\d\s]+)\s₽\.$/u.exec(cap?.description.text.ru ?? '')?.[1];
    expect(Number(capRoublesRu?.replace(/\s/gu, ''))).toBe(capPoints * 100);
    expect(percent?.fairness.newcomerPrizeShare).toBeGreaterThan(
      result.fairness.newcomerPrizeShare + 0.05,
    );
    const league = result.remedies.find((remedy) => remedy.key === 'newcomerLeague');
    expect(league?.fairness.newcomerPrizeShare).toBeGreaterThan(0.2);
    const extra = result.remedies.find((remedy) => remedy.key === 'extraPlace');
    expect(extra?.changes.prizes).toHaveLength(4);
    // Same seed, same draws: the remedies that leave the fund alone forecast the same fund.
    for (const remedy of result.remedies) {
      expect(remedy.fund.meanMinor).toBe(result.fund.meanMinor);
    }
  });

  it('re-simulates a remedy exactly as the file it describes', async () => {
    const file = parseValid(
      simulationInput(team(), { prizes, scenario: { trials: 500, seed: 5 } }),
    );
    const result = await simulate(file);
    const league = result.remedies.find((remedy) => remedy.key === 'newcomerLeague');
    expect(league).toBeDefined();
    const remedied = parseValid(applyRemedy({ file, changes: league?.changes ?? {} }));
    const again = await simulate(remedied, { remedies: false });
    expect(again.fairness).toEqual(league?.fairness);
    expect(again.pAllPrizesFunded).toBe(league?.pAllPrizesFunded);
  });

  it('finds identical sellers on their own plans balanced, with no remedies', async () => {
    const sellers = Array.from({ length: 8 }, (_value, index) =>
      seller(`s${index}`, { meanMinor: 1e8 * (1 + index), newcomer: index < 2 }),
    );
    const file = parseValid(
      simulationInput(sellers, {
        prizes,
        criteria: [{ metric: 'turnover', basis: 'percentOfPlan' }],
        scenario: { trials: 1000, seed: 2 },
      }),
    );
    const result = await simulate(file);
    expect(result.fairness.verdict).toBe('balanced');
    expect(result.fairness.effectiveContenders).toBeGreaterThan(6);
    expect(result.remedies).toEqual([]);
  });
});
