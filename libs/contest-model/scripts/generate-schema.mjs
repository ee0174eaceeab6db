#!/usr/bin/env node
// Writes docs/contest.schema.json (the JSON Schema of the contest file) from the zod schema in the
// built library. With --check, writes nothing and exits 1 when the committed file is stale (CI).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { contestFileJsonSchema } from '../dist/index.js';

const target = fileURLToPath(new URL('../../../docs/contest.schema.json', import.meta.url));
const check = process.argv.includes('--check');
const expected = `${JSON.stringify(contestFileJsonSchema(), null, 2)}\n`;

if (check) {
  const actual = await readFile(target, 'utf8').catch(() => '');
  if (actual !== expected) {
    process.stderr.write(
      'docs/contest.schema.json is stale: run node libs/contest-model/scripts/generate-schema.mjs\n',
    );
    process.exit(1);
  }
  process.stdout.write('docs/contest.schema.json is up to date\n');
} else {
  await writeFile(target, expected);
  process.stdout.write('wrote docs/contest.schema.json\n');
}
