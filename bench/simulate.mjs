// simulate: seller-months per second of the contest model's simulator on one thread (the
// forecast without remedies) on 10,000 trials × 1,000 sellers × 6 months, against a bare loop
// drawing as many normals (one per seller-month plus the monthly market shock) from the same
// seeded generator and ziggurat sampler, measured in the same run.
// simulate-workers: the same run on 2 worker threads against 1 (runSimulation), seller-months/s.
// forecast: seller-months/s of the live forecast of the same contest at its half-way point (3 of
// 6 months remaining, every seller with a sale in each month so far) on one thread, against
// simulate's seller-months/s measured in the same run. A seller-month is one of the contest's
// months of one seller in one trial, for both: the forecast plays out the same 6 months per
// seller and trial, 3 of them counted and 3 drawn.
import {
  forecast,
  normal,
  parseContestFile,
  simulate,
  streamGenerator,
} from '../libs/contest-model/dist/index.js';
import { runSimulation } from '../libs/contest-model/dist/cli/simulation-pool.js';

const TRIALS = Number(process.env.BENCH_SIMULATE_TRIALS ?? 10_000);
const SELLERS = 1_000;
const MONTHS = 6;
const SELLER_MONTHS = TRIALS * SELLERS * MONTHS;

/** A company of 1,000 sellers in 10 teams, one in five a newcomer without history. */
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
      team: `T${index % 10}`,
      hiredOn: newcomer ? '2026-01-15' : '2020-01-01',
      plan: {
        turnoverMinor: Math.round(mean * MONTHS),
        marginMinor: Math.round(mean * MONTHS * 0.2),
      },
      ...(newcomer ? {} : { history }),
    };
  });
  const parsed = parseContestFile({
    name: 'Bench',
    period: { start: '2026-03-01', end: '2026-09-01' },
    funding: { fundShare: 0.4 },
    prizes: [
      { place: 1, title: 'A', costMinor: 300_000_000 },
      { place: 2, title: 'B', costMinor: 150_000_000 },
      { place: 3, title: 'C', costMinor: 75_000_000 },
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

/** Seconds to draw `draws` normals in a bare loop. */
function bareLoop(draws) {
  const rng = streamGenerator({ seed: 1, stream: 0 });
  let sum = 0;
  const started = performance.now();
  for (let index = 0; index < draws; index += 1) sum += normal(rng);
  const seconds = (performance.now() - started) / 1000;
  if (Number.isNaN(sum)) throw new Error('unreachable: keeps the loop alive');
  return seconds;
}

async function seconds(run) {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

export async function simulateBench() {
  const file = contestFile();
  await simulate(file, { remedies: false, scenario: { trials: 500 } }); // warm-up
  const simulated = await seconds(() => simulate(file, { remedies: false }));
  bareLoop((SELLERS + 1) * MONTHS * 500); // warm-up
  const bare = bareLoop((SELLERS + 1) * MONTHS * TRIALS);
  return {
    bench: 'simulate',
    value: Math.round(SELLER_MONTHS / simulated),
    unit: 'seller-months/s',
    baseline: Math.round(SELLER_MONTHS / bare),
  };
}

export async function simulateWorkersBench() {
  const file = contestFile();
  const run = (workers) => () => runSimulation(file, { workers, remedies: false });
  const one = await seconds(run(1));
  const two = await seconds(run(2));
  return {
    bench: 'simulate-workers',
    value: Math.round(SELLER_MONTHS / two),
    unit: 'seller-months/s',
    baseline: Math.round(SELLER_MONTHS / one),
  };
}

/** One sale per seller on the 10th of each month before `asOf` (the contest starts 2026-03-01). */
function withSalesUntil(file, monthsElapsed) {
  const events = [];
  file.participants.forEach((participant, index) => {
    for (let month = 0; month < monthsElapsed; month += 1) {
      const amountMinor = 1_000_000 * (20 + (index % 17));
      events.push({
        type: 'sale',
        externalId: `bench-${index}-${month}`,
        source: 'bench',
        participantId: participant.id,
        occurredAt: `2026-${String(month + 3).padStart(2, '0')}-10T09:00:00Z`,
        amountMinor,
        marginMinor: amountMinor / 5,
        quantity: 1,
        isNewClient: month === 0,
      });
    }
  });
  return { ...file, events };
}

export async function forecastBench() {
  const file = contestFile();
  const live = withSalesUntil(file, 3);
  const asOf = '2026-06-01T00:00:00Z';
  await simulate(file, { remedies: false, scenario: { trials: 500 } }); // warm-up
  await forecast(live, { asOf, scenario: { trials: 500 } }); // warm-up
  const simulated = await seconds(() => simulate(file, { remedies: false }));
  const forecasted = await seconds(() => forecast(live, { asOf }));
  return {
    bench: 'forecast',
    value: Math.round(SELLER_MONTHS / forecasted),
    unit: 'seller-months/s',
    baseline: Math.round(SELLER_MONTHS / simulated),
  };
}
