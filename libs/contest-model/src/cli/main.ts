#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { evaluate, parseContestFile } from '@podium/contest-model';

const USAGE = 'usage: podium-model evaluate FILE.json';

/** Exit codes: 0 done, 1 unexpected failure, 2 bad usage or bad file. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, file, ...rest] = argv;
  if (command !== 'evaluate' || file === undefined || rest.length > 0) {
    process.stderr.write(
      `${command === undefined || command === 'evaluate' ? '' : `unknown command: ${command}\n`}${USAGE}\n`,
    );
    return 2;
  }
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
  process.stdout.write(`${JSON.stringify(evaluate(parsed.data), null, 2)}\n`);
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
