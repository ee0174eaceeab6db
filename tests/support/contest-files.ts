import fs from 'node:fs/promises';
import path from 'node:path';
import { parseContestFile, type ContestFile } from '@podium/contest-model';
import { repoRoot } from './process.js';

/** The §3.3 worked example (`libs/contest-model/examples/spring-sprint.json`), parsed. */
export async function exampleContestFile(): Promise<ContestFile> {
  const file = path.join(repoRoot, 'libs/contest-model/examples/spring-sprint.json');
  const parsed = parseContestFile(JSON.parse(await fs.readFile(file, 'utf8')));
  if (!parsed.success) throw new Error('the example no longer validates');
  return parsed.data;
}

/** 300 sellers over 6 months: a simulation of many trials runs far longer than a test waits. */
export function largeSimulationFile(base: ContestFile): ContestFile {
  const template = base.participants[0] as ContestFile['participants'][number];
  const parsed = parseContestFile({
    ...base,
    name: 'Large',
    period: { start: '2026-03-01', end: '2026-09-01' },
    events: [],
    participants: Array.from({ length: 300 }, (_value, index) => ({
      ...template,
      id: `s${index}`,
      name: `Seller ${index}`,
    })),
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}
