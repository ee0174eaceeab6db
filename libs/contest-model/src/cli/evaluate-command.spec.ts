import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// Runs the built CLI (npm test builds first), as `npm run model -- …` does.
const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/spring-sprint.json', import.meta.url));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'podium-cli-')), name);
  writeFileSync(path, text);
  return path;
}

describe('podium-model evaluate', () => {
  it('prints the §3.3 example’s figures as JSON', () => {
    const { code, stdout } = run('evaluate', example);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      fundMinor: number;
      prizes: { place: number; unlocked: boolean }[];
      breakEven: { aboveplanMarginMinor: number };
      roi: number;
      standings: { participantId: string; rank: number; points: number; eligible: boolean }[];
    };
    expect(result.fundMinor).toBe(18_000_000);
    expect(result.prizes.map((prize) => [prize.place, prize.unlocked])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(result.breakEven.aboveplanMarginMinor).toBe(52_500_000);
    expect(result.roi).toBe(1.5);
    expect(result.standings[0]).toMatchObject({ participantId: 'p4', rank: 1, points: 141.67 });
    expect(stdout.startsWith('{\n  "name"')).toBe(true);
  });

  it('exits 2 naming the bad field', () => {
    const file = JSON.parse(readFileSync(example, 'utf8')) as { funding: { fundShare: number } };
    file.funding.fundShare = 1.5;
    const { code, stdout, stderr } = run('evaluate', writeTemp('bad.json', JSON.stringify(file)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('funding.fundShare: must be at most 1');
  });

  it('exits 2 on invalid JSON, a missing file and bad usage', () => {
    const broken = run('evaluate', writeTemp('broken.json', '{ "name": '));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('invalid JSON');
    expect(run('evaluate', '/nonexistent/contest.json').code).toBe(2);
    const unknown = run('frobnicate', example);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command: frobnicate');
    expect(run().stderr).toContain('usage: podium-model evaluate FILE.json');
  });
});
