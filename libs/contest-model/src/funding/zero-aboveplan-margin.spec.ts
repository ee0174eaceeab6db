import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('zero above-plan margin', () => {
  it('funds nothing when the company misses its plan, though one seller beat theirs', () => {
    const file = contestFile({
      funding: { fundShare: 0.4 },
      participants: [
        participant('star', { plan: { turnoverMinor: 1_000_000, marginMinor: 200_000 } }),
        participant('miss', { plan: { turnoverMinor: 1_000_000, marginMinor: 200_000 } }),
      ],
      events: [
        sale('star', { amountMinor: 2_000_000, marginMinor: 300_000 }),
        // A loss-making deal lowers the actual margin.
        sale('miss', { amountMinor: 100_000, marginMinor: -20_000 }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    expect(sut.actualMarginMinor).toBe(280_000);
    expect(sut.aboveplanMarginMinor).toBe(0);
    expect(sut.fundMinor).toBe(0);
    expect(sut.prizes[0]).toMatchObject({
      unlocked: false,
      paidMinor: 0,
      winnerParticipantId: 'star',
    });
    expect(sut.prizes[0]?.missingAboveplanMarginMinor).toBe(250_000);
    expect(sut.roi).toBeNull();
  });
});
