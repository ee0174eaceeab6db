import { describe, expect, it } from '@jest/globals';
import { parseValid } from '../../test-support/contest-fixture.js';
import { normalCdf, seller, simulationInput } from '../../test-support/simulation-fixture.js';
import { simulate } from './simulate.js';

// Statistical specs: each tolerance is K standard errors of the estimate, as reported by the
// simulator itself, so they test the estimate and its error together.
const K = 4;
const TRIALS = 4000;

describe('simulate: statistics against closed forms', () => {
  it('gives two identical sellers P(first) = 0.5 each', async () => {
    const file = parseValid(
      simulationInput([seller('a', { meanMinor: 1e8 }), seller('b', { meanMinor: 1e8 })], {
        scenario: { trials: TRIALS, seed: 3 },
      }),
    );
    const result = await simulate(file);
    for (const participant of result.participants) {
      expect(participant.pFirstSe).toBeCloseTo(Math.sqrt(0.25 / TRIALS), 3);
      expect(Math.abs(participant.pFirst - 0.5)).toBeLessThan(K * participant.pFirstSe);
      expect(Math.abs(participant.expectedRank - 1.5)).toBeLessThan(K * participant.expectedRankSe);
    }
    const [a, b] = result.participants;
    expect((a?.pFirst ?? 0) + (b?.pFirst ?? 0)).toBeCloseTo(1, 9);
  });

  it('gives one seller over one month P(all prizes funded) of the log-normal closed form', async () => {
    const meanMinor = 1e8;
    const cv = 0.3;
    const uplift = 0.1;
    const fundShare = 0.5;
    const costMinor = 2_000_000;
    const planMarginMinor = 20_000_000;
    const file = parseValid(
      simulationInput([seller('solo', { meanMinor, cv })], {
        funding: { fundShare },
        prizes: [{ place: 1, title: 'Prize', costMinor }],
        scenario: { trials: TRIALS, seed: 9, uplift, correlation: 0.3 },
      }),
    );
    const result = await simulate(file);
    // All funded ⇔ 0.2 T − plan margin ≥ cost / share ⇔ T ≥ t; T = m(1+u)·exp(σW − σ²/2).
    const sigma = Math.sqrt(Math.log(1 + cv * cv));
    const threshold = (planMarginMinor + costMinor / fundShare) / 0.2;
    const expected =
      1 -
      normalCdf((Math.log(threshold / (meanMinor * (1 + uplift))) + (sigma * sigma) / 2) / sigma);
    expect(result.planMarginMinor).toBe(planMarginMinor);
    expect(result.pAllPrizesFundedSe).toBeCloseTo(
      Math.sqrt((expected * (1 - expected)) / TRIALS),
      3,
    );
    expect(Math.abs(result.pAllPrizesFunded - expected)).toBeLessThan(
      K * result.pAllPrizesFundedSe,
    );
  });

  it('keeps the expected turnover at m × (1 + uplift) (mean-preserving log-normal)', async () => {
    const file = parseValid(
      simulationInput(
        [seller('a', { meanMinor: 5e7, cv: 0.5 }), seller('b', { meanMinor: 2e7, cv: 0.1 })],
        { scenario: { trials: TRIALS, seed: 21, uplift: 0.25, correlation: 0.6 } },
      ),
    );
    const result = await simulate(file);
    const expected = 7e7 * 1.25;
    expect(Math.abs(result.actualTurnover.meanMinor - expected)).toBeLessThan(
      K * result.actualTurnover.standardErrorMinor,
    );
    expect(Math.abs(result.baseline.turnoverMinor.meanMinor - 7e7)).toBeLessThan(
      K * result.baseline.turnoverMinor.standardErrorMinor,
    );
    // The baseline uses the very same draws: actual = 1.25 × baseline up to per-seller rounding.
    expect(
      Math.abs(result.actualTurnover.meanMinor - 1.25 * result.baseline.turnoverMinor.meanMinor),
    ).toBeLessThanOrEqual(2);
  });

  it('finds the break-even uplift where P(all prizes funded) crosses 0.5 on the same draws', async () => {
    const input = (uplift: number) =>
      parseValid(
        simulationInput(
          [
            seller('a', { meanMinor: 1e8 }),
            seller('b', { meanMinor: 8e7 }),
            seller('c', { meanMinor: 6e7 }),
          ],
          {
            prizes: [{ place: 1, title: 'Prize', costMinor: 5_000_000 }],
            scenario: { trials: 2000, seed: 4, uplift },
          },
        ),
      );
    const result = await simulate(input(0.1), { remedies: false });
    const breakEven = result.breakEvenUplift;
    expect(breakEven).not.toBeNull();
    const above = await simulate(input((breakEven as number) + 0.002), { remedies: false });
    const below = await simulate(input((breakEven as number) - 0.002), { remedies: false });
    expect(above.pAllPrizesFunded).toBeGreaterThanOrEqual(0.5);
    expect(below.pAllPrizesFunded).toBeLessThan(0.5);
    // The break-even does not depend on the scenario's own uplift (common random numbers).
    expect(above.breakEvenUplift).toBe(breakEven);
  });

  it('reports the no-contest baseline: uplift 0 gives the baseline margin itself', async () => {
    const file = parseValid(
      simulationInput([seller('a', { meanMinor: 1e8 }), seller('b', { meanMinor: 5e7 })], {
        scenario: { trials: 1000, seed: 8, uplift: 0 },
      }),
    );
    const result = await simulate(file, { remedies: false });
    expect(
      Math.abs(result.actualMargin.meanMinor - result.baseline.marginMinor.meanMinor),
    ).toBeLessThanOrEqual(1);
    expect(Math.abs(result.baseline.incrementalMarginMinor)).toBeLessThanOrEqual(1);
  });
});
