import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseValid } from '../../test-support/contest-fixture.js';
import { simulate } from './simulate.js';

// Seeded regression: the §3.3 example simulated with seed 42. Any change to the sampling model,
// the streams or the rules changes these figures; update the snapshot only on purpose.
const example = fileURLToPath(new URL('../../examples/spring-sprint.json', import.meta.url));

describe('simulate: seeded regression', () => {
  it('gives the recorded figures for the spring sprint, seed 42', async () => {
    const file = parseValid({
      ...(JSON.parse(readFileSync(example, 'utf8')) as object),
      scenario: { trials: 3000, seed: 42 },
    });
    const result = await simulate(file);
    expect({
      fund: result.fund,
      pAllPrizesFunded: result.pAllPrizesFunded,
      breakEvenUplift: result.breakEvenUplift,
      baselineMarginMinor: result.baseline.marginMinor.meanMinor,
      roi: result.roi,
      participants: result.participants.map((participant) => [
        participant.participantId,
        participant.pFirst,
        participant.pPrize,
        participant.expectedRank,
      ]),
      fairness: result.fairness,
      remedies: result.remedies.map((remedy) => [remedy.key, remedy.fairness.verdict]),
    }).toMatchSnapshot();
  });
});
