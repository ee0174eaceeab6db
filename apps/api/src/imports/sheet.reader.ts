import { BadRequestException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Cell } from '@podium/contest-model';
import { unescapeSpreadsheetText } from './sheet.writer.js';

/** The two file formats, by content type. */
export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type SheetFormat = 'csv' | 'xlsx';

/** A file's rows, numbered as the spreadsheet shows them (the header is row 1). */
export interface Sheet {
  readonly header: readonly string[];
  readonly rows: readonly { readonly row: number; readonly cells: readonly Cell[] }[];
}

/** A file that cannot be read at all: a 400 naming the row where reading stopped. */
export class UnreadableFileError extends BadRequestException {
  constructor(row: number, reason: string) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `the file cannot be read: ${reason}`,
      issues: [{ row, column: '', code: 'file', reason, path: `row ${row}`, message: reason }],
    });
  }
}

/** `,` `;` or tab: whichever the header line (outside quotes) holds most; `,` when none. */
export function guessDelimiter(text: string): string {
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

function readCsv(bytes: Buffer): Sheet {
  const text = bytes.toString('utf8');
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter: guessDelimiter(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      relax_quotes: true,
      // Blank lines stay, so every record's index is its row in a spreadsheet.
      skip_empty_lines: false,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw new UnreadableFileError(line, error instanceof Error ? error.message : String(error));
  }
  // A file Podium wrote (an export, a template) reads back as it was before its formula escape.
  const [header = [], ...body] = records.map((cells) => cells.map(unescapeSpreadsheetText));
  return {
    header: header.map((name) => name.trim()),
    rows: body.map((cells, index) => ({ row: index + 2, cells })),
  };
}

/** What an XLSX cell holds, as a plain value: a formula's result, a link's text, rich text. */
function plain(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    return plain((value as { result?: ExcelJS.CellValue }).result ?? null);
  }
  if ('hyperlink' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return null;
}

async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typings predate Node's generic Buffer.
    await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch (error) {
    throw new UnreadableFileError(1, `not an XLSX workbook (${String(error)})`);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new UnreadableFileError(1, 'the workbook has no worksheet');
  const width = sheet.columnCount;
  const read = (row: ExcelJS.Row): Cell[] =>
    Array.from({ length: Math.max(width, row.cellCount) }, (_, index) =>
      plain(row.getCell(index + 1).value),
    );
  const header = read(sheet.getRow(1)).map((cell) => (cell === null ? '' : String(cell).trim()));
  const rows: { row: number; cells: Cell[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number > 1) rows.push({ row: number, cells: read(row) });
  });
  return { header, rows };
}

export async function readSheet(bytes: Buffer, format: SheetFormat): Promise<Sheet> {
  if (bytes.length === 0) throw new UnreadableFileError(1, 'the file is empty');
  return format === 'csv' ? readCsv(bytes) : readXlsx(bytes);
}
