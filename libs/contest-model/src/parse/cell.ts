/**
 * Numbers, money, dates and yes/no as people type them into spreadsheets and forms. The server's
 * file import, the simulator's files, the plans editor, the manager's correction form and the CRM
 * connectors all read with these functions, so the same cell means the same value everywhere.
 * Runs in the browser: nothing here touches Node.
 */

/** A cell as a file holds it: CSV gives text, XLSX also numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null;

/** Why a cell or field is refused: a stable code every screen translates. */
export type CellCode =
  | 'tooLong'
  | 'money'
  | 'number'
  | 'integer'
  | 'positive'
  | 'negative'
  | 'tooLarge'
  | 'date'
  | 'month'
  | 'instant'
  | 'boolean'
  | 'role'
  | 'eventType';

/**
 * A refused cell: its code, the values the code's sentence needs (`{ max: 200 }`), and the English
 * sentence for API users and logs.
 */
export interface CellProblem {
  readonly code: string;
  readonly reason: string;
  readonly params?: Readonly<Record<string, number | string>>;
}

export type CellParsed<T> =
  { readonly ok: true; readonly value: T } | ({ readonly ok: false } & CellProblem);

export const cellValue = <T>(value: T): CellParsed<T> => ({ ok: true, value });

export const cellProblem = (
  code: CellCode,
  reason: string,
  params?: Readonly<Record<string, number | string>>,
): CellParsed<never> => ({ ok: false, code, reason, ...(params ? { params } : {}) });

/** Blank: nothing, or only spaces. */
export function isBlankCell(cell: Cell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/** The cell as trimmed text (an XLSX date as its ISO instant). */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

/** Text of at most `max` characters, trimmed. */
export function parseTextCell(cell: Cell, max: number): CellParsed<string> {
  const value = cellText(cell);
  if (value.length > max) {
    return cellProblem('tooLong', `must be at most ${max} characters`, { max });
  }
  return cellValue(value);
}

const YES = ['true', 'yes', '1', 'да', 'y', 'д'];
const NO = ['false', 'no', '0', 'нет', 'n', 'н'];

/** Yes or no in English or Russian (true/false, 1/0, да/нет, y/n, д/н), or an XLSX boolean. */
export function parseBooleanCell(cell: Cell): CellParsed<boolean> {
  if (typeof cell === 'boolean') return cellValue(cell);
  const value = cellText(cell).toLowerCase();
  if (YES.includes(value)) return cellValue(true);
  if (NO.includes(value)) return cellValue(false);
  return cellProblem('boolean', 'must be yes or no (true/false, 1/0, да/нет)');
}

/** A participant's role, in any letter case. */
export function parseRoleCell(cell: Cell): CellParsed<'hunter' | 'farmer'> {
  const value = cellText(cell).toLowerCase();
  if (value === 'hunter' || value === 'farmer') return cellValue(value);
  return cellProblem('role', 'must be hunter or farmer');
}

/** What a row of deals is: a won deal (`sale`, `продажа`) or a lead (`lead`, `лид`). */
export function parseDealTypeCell(cell: Cell): CellParsed<'sale' | 'lead'> {
  const value = cellText(cell).toLowerCase();
  if (value === 'sale' || value === 'продажа') return cellValue('sale');
  if (value === 'lead' || value === 'лид') return cellValue('lead');
  return cellProblem('eventType', 'must be sale or lead');
}
