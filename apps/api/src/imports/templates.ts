import ExcelJS from 'exceljs';
import { KIND_SPECS, SIMULATOR_PARTICIPANT_COLUMNS, type ImportKind } from './import-kinds.js';
import type { SheetFormat } from './sheet.reader.js';
import { csvBytes } from './sheet.writer.js';

/** The import kinds' templates, and the simulator's participants file. */
export type TemplateName = ImportKind | 'simulator-participants';

/** A workbook as bytes. */
export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A sheet with a bold, frozen header and columns as wide as their contents. Strings stay string
 * cells whatever they start with: exceljs writes a formula only for a `{ formula }` value.
 */
export function addTable(
  workbook: ExcelJS.Workbook,
  name: string,
  rows: readonly (readonly (string | number | boolean | null)[])[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  for (const row of rows) sheet.addRow([...row]);
  sheet.getRow(1).font = { bold: true };
  const width = Math.max(0, ...rows.map((row) => row.length));
  for (let index = 0; index < width; index += 1) {
    const longest = Math.max(...rows.map((row) => String(row[index] ?? '').length));
    sheet.getColumn(index + 1).width = Math.min(60, Math.max(10, longest + 2));
  }
  return sheet;
}

/**
 * The template of a kind: the header and one example row. The XLSX adds a second sheet that
 * explains every column in English and Russian (the importer reads only the first sheet); the
 * CSV holds nothing else, so it imports as it is.
 */
export async function template(
  kind: TemplateName,
  format: SheetFormat,
): Promise<{ bytes: Buffer; contentType: string; filename: string }> {
  const spec = {
    columns:
      kind === 'simulator-participants' ? SIMULATOR_PARTICIPANT_COLUMNS : KIND_SPECS[kind].columns,
  };
  const header = spec.columns.map((column) => column.name);
  const example = spec.columns.map((column) => column.example);
  if (format === 'csv') {
    return {
      bytes: csvBytes([header, example]),
      contentType: 'text/csv; charset=utf-8',
      filename: `${kind}.csv`,
    };
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Podium';
  // A sheet name holds at most 31 characters.
  addTable(workbook, kind.slice(0, 31), [header, example]);
  addTable(workbook, 'Columns · Колонки', [
    ['column', 'required', 'English', 'Русский'],
    ...spec.columns.map((column) => [
      column.name,
      column.required ? 'yes / да' : '',
      column.en,
      column.ru,
    ]),
  ]);
  return {
    bytes: await workbookBytes(workbook),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${kind}.xlsx`,
  };
}
