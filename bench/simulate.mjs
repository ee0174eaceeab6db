// simulate: Monte Carlo trials per second of the contest model's simulator (one thread, the
// forecast without remedies) on 10,000 trials × 40 sellers × 1 month, against a bare loop drawing
// the same number of normals (40 own shocks + 1 market shock per trial) from the same seeded
// generator and ziggurat sampler, measured in the same run and converted to trials/s.
import {
  normal,
  parseContestFile,
  simulate,
  streamGenerator,
} from '../libs/contest-model/dist/index.js';

const TRIALS = Number(process.env.BENCH_SIMULATE_TRIALS ?? 10_000);
const SELLERS = 40;

/** A company of 40 sellers in 4 teams, one in five a newcomer without history. */
function contestFile() {
  const participants = Array.from({ length: SELLERS }, (_value, index) => {
    const newcomer = index % 5 === 4;
    const mean = (newcomer ? 1_000_000 : 3_000_000) * 100 * (0.7 + (index % 7) / 10);
    const history = [0.8, 1, 1.2, 0.9, 1.1, 1].map((factor, month) => ({
      month: `2025-${String(month + 7).padStart(2, '0')}`,
      turnoverMinor: Math.round(mean * factor),
      marginMinor: Math.round(mean * factor * 0.2),
      newClients: 1 + (index % 3),
    }));
    return {
      id: `s${index}`,
      name: `Seller ${index}`,
      team: `T${index % 4}`,
      hiredOn: newcomer ? '2026-01-15' : '2020-01-01',
      plan: { turnoverMinor: Math.round(mean), marginMinor: Math.round(mean * 0.2) },
      ...(newcomer ? {} : { history }),
    };
  });
  const parsed = parseContestFile({
    name: 'Bench',
    period: { start: '2026-03-01', end: '2026-04-01' },
    funding: { fundShare: 0.4 },
    prizes: [
      { place: 1, title: 'A', costMinor: 30_000_000 },
      { place: 2, title: 'B', costMinor: 15_000_000 },
      { place: 3, title: 'C', costMinor: 7_500_000 },
    ],
    criteria: [
      { metric: 'turnover', basis: 'percentOfPlan', cap: 200 },
      { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10 },
    ],
    participants,
    scenario: { trials: TRIALS, seed: 1 },
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

function bareLoop(draws) {
  const rng = streamGenerator({ seed: 1, stream: 0 });
  let sum = 0;
  const started = performance.now();
  for (let index = 0; index < draws; index += 1) sum += normal(rng);
  const seconds = (performance.now() - started) / 1000;
  if (Number.isNaN(sum)) throw new Error('unreachable: keeps the loop alive');
  return draws / seconds;
}

export async function simulateBench() {
  const file = contestFile();
  await simulate(file, { remedies: false, scenario: { trials: 1000 } }); // warm-up
  const started = performance.now();
  await simulate(file, { remedies: false });
  const value = TRIALS / ((performance.now() - started) / 1000);
  const drawsPerTrial = SELLERS + 1;
  bareLoop(drawsPerTrial * 1000); // warm-up
  const baseline = bareLoop(drawsPerTrial * TRIALS) / drawsPerTrial;
  return {
    bench: 'simulate',
    value: Math.round(value),
    unit: 'trials/s',
    baseline: Math.round(baseline),
  };
}
