// Generates the web app's types of the API (apps/web/src/lib/api/schema.d.ts) from the OpenAPI
// document the API serves, built here without a database. With --check it writes nothing and
// fails when the committed file differs from what the API generates now. Needs the API built
// (`npm run api:types` builds first).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'apps/web/src/lib/api/schema.d.ts');
const check = process.argv.includes('--check');

const { buildOfflineOpenApiDocument } = await import(
  path.join(root, 'apps/api/dist/openapi/document-offline.js')
);
const document = await buildOfflineOpenApiDocument();
const header =
  "// Generated from the API's OpenAPI document by `npm run api:types`: do not edit by hand.\n";
const generated = header + astToString(await openapiTS(document));
const options = (await prettier.resolveConfig(target)) ?? {};
const formatted = await prettier.format(generated, { ...options, filepath: target });

if (check) {
  const committed = await fs.readFile(target, 'utf8').catch(() => '');
  if (committed !== formatted) {
    process.stderr.write(
      `${path.relative(root, target)} is not what the API generates: run npm run api:types\n`,
    );
    process.exit(1);
  }
} else {
  await fs.writeFile(target, formatted);
  process.stderr.write(`wrote ${path.relative(root, target)}\n`);
}
