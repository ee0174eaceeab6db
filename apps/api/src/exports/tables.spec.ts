import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { KIND_SPECS, type ImportKind } from '../imports/import-kinds.js';
import { readSheet } from '../imports/sheet.reader.js';
import { template } from '../imports/templates.js';
import { money, renderTables } from './tables.js';

/** Texts a spreadsheet runs as formulas (OWASP CSV injection), and how a CSV must hold them. */
const FORMULAS: [string, string][] = [
  ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ['+1', `'+1`],
  ['-2', `'-2`],
  ['@SUM(A1)', `'@SUM(A1)`],
  ['\tx', `'\tx`],
  ['\rx', `"'\rx"`],
  // The full-width forms, which some spreadsheets fold into the ASCII ones.
  ['\uff1d1+1', `'\uff1d1+1`],
];

const lines = (bytes: Buffer) =>
  bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n');

describe('CSV writers', () => {
  it('write text that starts like a formula with a quote in front, numbers as they are', async () => {
    const file = await renderTables(
      [
        {
          name: 'T',
          header: ['text', 'number', 'money'],
          rows: FORMULAS.map(([text], index) => [text, -1500 - index, money(-150_000 - index)]),
        },
      ],
      'csv',
      'test',
    );
    expect(lines(file.bytes)).toEqual([
      'text,number,money',
      ...FORMULAS.map(
        ([, written], index) =>
          `${written},${-1500 - index},-1500.${String(index).padStart(2, '0')}`,
      ),
      '',
    ]);
  });

  it('reads its own escaped cells back as they were', async () => {
    const file = await renderTables(
      [{ name: 'T', header: ['text'], rows: FORMULAS.map(([text]) => [text]) }],
      'csv',
      'test',
    );
    const sheet = await readSheet(file.bytes, 'csv');
    expect(sheet.rows.map((row) => row.cells[0])).toEqual(FORMULAS.map(([text]) => text));
  });

  it('write every import template so it reads back as its columns and example', async () => {
    for (const kind of Object.keys(KIND_SPECS) as ImportKind[]) {
      const file = await template(kind, 'csv');
      const [header, example] = parse(file.bytes.toString('utf8'), { bom: true }) as string[][];
      const columns = KIND_SPECS[kind].columns;
      expect({ kind, header, example }).toEqual({
        kind,
        header: columns.map((column) => column.name),
        example: columns.map((column) => String(column.example)),
      });
      // Nothing in a template starts like a formula unescaped.
      expect(
        [...(header ?? []), ...(example ?? [])].filter((cell) => /^[=+\-@\t\r]/.test(cell)),
      ).toEqual([]);
    }
  });
});
