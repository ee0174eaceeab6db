import { stringify } from 'csv-stringify/sync';

/** A UTF-8 byte order mark: Excel opens a CSV with Cyrillic text correctly only with it. */
const BOM = '\uFEFF';

/**
 * The first characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"):
 * `=` `+` `-` `@`, tab and carriage return, and their full-width forms, which some spreadsheets
 * fold into the ASCII ones (the list csv-stringify's `escape_formulas` uses).
 */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** Text as a spreadsheet must show it: a quote in front of anything that starts like a formula. */
export function spreadsheetText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of {@link spreadsheetText}: a cell Podium wrote reads back as it was. */
export function unescapeSpreadsheetText(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** A number written as decimal text, e.g. money in major units converted from its integer. */
export class NumberText {
  constructor(readonly text: string) {}
}

/** A CSV cell: text (escaped), a number or number text (written as it is), or nothing. */
export type CsvCell = string | number | NumberText | null;

function cellText(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  if (cell instanceof NumberText) return cell.text;
  return spreadsheetText(cell);
}

/**
 * Rows as a CSV file: comma-separated, CRLF, quoted where CSV needs it, with a UTF-8 BOM so
 * Excel shows Cyrillic names. Every CSV Podium writes goes through here. csv-stringify's own
 * `escape_formulas` tells numbers from text by their JavaScript type, and money is written as
 * exact decimal text from its integer, so a negative amount would come out as text: the rule is
 * applied here to text cells only.
 */
export function csvBytes(rows: readonly (readonly CsvCell[])[]): Buffer {
  return Buffer.from(
    BOM +
      stringify(
        rows.map((row) => row.map(cellText)),
        {
          record_delimiter: '\r\n',
          // A lone CR or LF in a cell is quoted too: a spreadsheet would start a new row there.
          quote_record_delimiter: true,
        },
      ),
  );
}
