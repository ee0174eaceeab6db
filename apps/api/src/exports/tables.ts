import ExcelJS from 'exceljs';
import { csvBytes, NumberText, type CsvCell } from '../imports/sheet.writer.js';
import { addTable, workbookBytes } from '../imports/templates.js';
import type { DownloadFile } from '../imports/send-file.js';

/** An amount of money: exported in major units with two decimals. */
export interface Money {
  readonly minor: number;
}

export type ExportCell = string | number | boolean | Money | null;

/** One table of an export: a CSV holds the first, an XLSX one sheet per table. */
export interface ExportTable {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly ExportCell[])[];
}

export const money = (minor: number | null | undefined): Money | null =>
  minor === null || minor === undefined ? null : { minor };

function isMoney(cell: ExportCell): cell is Money {
  return typeof cell === 'object' && cell !== null;
}

/** Minor units as major with two decimals, from the integer, so no binary fraction slips in. */
export function majorText(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const absolute = Math.abs(minor);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

function csvCell(cell: ExportCell): CsvCell {
  if (isMoney(cell)) return new NumberText(majorText(cell.minor));
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return cell;
}

/**
 * The tables as a file. CSV: the first table (see {@link csvBytes}). XLSX: a sheet per table; money as numbers in major units formatted with
 * two decimals, so sums in the sheet work.
 */
export async function renderTables(
  tables: readonly ExportTable[],
  format: 'csv' | 'xlsx',
  basename: string,
): Promise<DownloadFile> {
  if (format === 'csv') {
    const [first] = tables;
    const rows = first ? [first.header, ...first.rows.map((row) => row.map(csvCell))] : [];
    return {
      bytes: csvBytes(rows),
      contentType: 'text/csv; charset=utf-8',
      filename: `${basename}.csv`,
    };
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Podium';
  for (const table of tables) {
    const sheet = addTable(workbook, table.name.slice(0, 31), [
      table.header,
      ...table.rows.map((row) => row.map((cell) => (isMoney(cell) ? cell.minor / 100 : cell))),
    ]);
    table.rows.forEach((row, rowIndex) =>
      row.forEach((cell, columnIndex) => {
        if (isMoney(cell)) sheet.getCell(rowIndex + 2, columnIndex + 1).numFmt = '#,##0.00';
      }),
    );
  }
  return {
    bytes: await workbookBytes(workbook),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${basename}.xlsx`,
  };
}
