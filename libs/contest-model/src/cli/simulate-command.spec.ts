import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseValid } from '../../test-support/contest-fixture.js';
import { seller, simulationInput } from '../../test-support/simulation-fixture.js';
import { simulate, type SimulationProgress } from '../index.js';

// Runs the built CLI and pool (npm test builds first): worker threads load the built worker.
const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const poolModule = new URL('../../dist/cli/simulation-pool.js', import.meta.url).href;
const example = fileURLToPath(new URL('../../examples/spring-sprint.json', import.meta.url));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeTemp(name: string, value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'podium-simulate-')), name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

// 1,600 trials: 4 blocks (the last of 100), so 2 and 4 workers really split them unevenly.
const input = simulationInput(
  [
    seller('a', { meanMinor: 1e8, newClients: 2 }),
    seller('b', { meanMinor: 9e7, newClients: 3 }),
    seller('c', { meanMinor: 4e7, newClients: 1, newcomer: true }),
    { ...seller('d', { meanMinor: 1, newcomer: true }), history: [] },
  ],
  {
    criteria: [
      { metric: 'turnover', basis: 'absolute', unit: 10_000 },
      { metric: 'newClients', basis: 'absolute', unit: 1, weight: 100 },
    ],
    scenario: { trials: 1600, seed: 77 },
  },
);

type PoolModule = typeof import('./simulation-pool.js');

describe('podium-model simulate', () => {
  it('prints the same bytes with 1, 2 and 4 workers, and the §10 fields', () => {
    const path = writeTemp('contest.json', input);
    const outputs = [1, 2, 4].map((workers) => run('simulate', path, '--workers', String(workers)));
    for (const output of outputs) {
      expect(output.stderr).toBe('');
      expect(output.code).toBe(0);
    }
    expect(outputs[1]?.stdout).toBe(outputs[0]?.stdout);
    expect(outputs[2]?.stdout).toBe(outputs[0]?.stdout);
    const result = JSON.parse(outputs[0]?.stdout ?? '') as Record<string, object>;
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining(['fund', 'pAllPrizesFunded', 'participants', 'fairness', 'baseline']),
    );
    expect(Object.keys(result['fund'] ?? {})).toEqual(
      expect.arrayContaining(['meanMinor', 'p10Minor', 'p50Minor', 'p90Minor', 'histogram']),
    );
    expect(Object.keys((result['participants'] as object[])[0] ?? {})).toEqual(
      expect.arrayContaining(['participantId', 'pFirst', 'pPrize', 'expectedRank']),
    );
    expect(Object.keys(result['fairness'] ?? {})).toEqual(
      expect.arrayContaining([
        'newcomerPrizeShare',
        'newcomerHeadcountShare',
        'effectiveContenders',
        'maxPFirst',
        'verdict',
        'warnings',
      ]),
    );
  });

  it('gives in one thread exactly what the worker pool gives', async () => {
    const { runSimulation } = (await import(poolModule)) as PoolModule;
    const file = parseValid(input);
    const progress: SimulationProgress[] = [];
    const pooled = await runSimulation(file, {
      workers: 2,
      onProgress: (each) => progress.push(each),
    });
    expect(JSON.stringify(await simulate(file))).toBe(JSON.stringify(pooled));
    const forecast = progress.filter((each) => each.phase === 'forecast');
    expect(forecast[0]).toEqual({ phase: 'forecast', trialsDone: 0, trialsTotal: 1600 });
    expect(forecast.at(-1)).toEqual({ phase: 'forecast', trialsDone: 1600, trialsTotal: 1600 });
    expect(forecast).toHaveLength(1 + 4);
  });

  it('stops on abort and rejects with the reason', async () => {
    const { runSimulation } = (await import(poolModule)) as PoolModule;
    const file = parseValid({ ...input, scenario: { trials: 1_000_000, seed: 1 } });
    const controller = new AbortController();
    const reason = new Error('cancelled by the director');
    let blocks = 0;
    const running = runSimulation(file, {
      workers: 2,
      signal: controller.signal,
      onProgress: (each) => {
        if (each.trialsDone > 0 && (blocks += 1) === 2) controller.abort(reason);
      },
    });
    await expect(running).rejects.toBe(reason);
    expect(blocks).toBeLessThan(10);
  });

  it('names the path of a bad field and exits 2', () => {
    const path = writeTemp('bad.json', { ...input, scenario: { trials: 0 } });
    const { code, stderr, stdout } = run('simulate', path);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('scenario.trials: must be at least 1');
  });

  it('refuses a file where nobody has sales figures, naming each history', () => {
    const bare = {
      ...input,
      participants: input.participants.map((each) => ({ ...each, history: [] })),
    };
    const { code, stderr } = run('simulate', writeTemp('bare.json', bare));
    expect(code).toBe(2);
    expect(stderr).toContain('participants[0].history: is required for a simulation');
  });

  it('refuses bad usage', () => {
    expect(run('simulate', example, '--workers', '0').code).toBe(2);
    expect(run('simulate', example, '--threads', '2').code).toBe(2);
    expect(run('simulate').code).toBe(2);
  });
});
