#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { evaluate, parseContestFile, simulationIssues } from '@podium/contest-model';
import { runSimulation } from './simulation-pool.js';

const USAGE =
  'usage: podium-model evaluate FILE.json\n       podium-model simulate FILE.json [--workers N]';

interface Command {
  command: 'evaluate' | 'simulate';
  file: string;
  workers?: number;
}

function parseArguments(argv: readonly string[]): Command | string {
  const [command, file, ...rest] = argv;
  if (command !== 'evaluate' && command !== 'simulate') {
    return command === undefined ? '' : `unknown command: ${command}\n`;
  }
  if (file === undefined || file.startsWith('--')) return '';
  if (command === 'evaluate') return rest.length === 0 ? { command, file } : '';
  if (rest.length === 0) return { command, file };
  const [flag, value, ...extra] = rest;
  const workers = Number(value);
  if (flag !== '--workers' || extra.length > 0) return '';
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    return `--workers must be an integer from 1 to 64, got ${value ?? 'nothing'}\n`;
  }
  return { command, file, workers };
}

/** Exit codes: 0 done, 1 unexpected failure, 2 bad usage or bad file. */
async function main(argv: readonly string[]): Promise<number> {
  const parsedArguments = parseArguments(argv);
  if (typeof parsedArguments === 'string') {
    process.stderr.write(`${parsedArguments}${USAGE}\n`);
    return 2;
  }
  const { command, file, workers } = parsedArguments;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`${file}: cannot read: ${(error as Error).message}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    process.stderr.write(`${file}: invalid JSON: ${(error as Error).message}\n`);
    return 2;
  }
  const parsed = parseContestFile(json);
  if (!parsed.success) {
    process.stderr.write(`${file}: invalid contest file\n`);
    for (const issue of parsed.issues) {
      process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    }
    return 2;
  }
  if (command === 'evaluate') {
    process.stdout.write(`${JSON.stringify(evaluate(parsed.data), null, 2)}\n`);
    return 0;
  }
  const issues = simulationIssues(parsed.data);
  if (issues.length > 0) {
    process.stderr.write(`${file}: cannot simulate\n`);
    for (const issue of issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    return 2;
  }
  const result = await runSimulation(parsed.data, { workers });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `podium-model: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
