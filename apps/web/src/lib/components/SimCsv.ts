import type { HistoryMonth } from '@podium/contest-model';
import { planFromHistory, type ParticipantDraft } from '../state/sim-draft.svelte.js';

/*
 * Participants from two CSV files, parsed here without a dependency: `participants.csv` (one row
 * per seller, plans for the whole contest in major units; empty plan cells take the history's
 * monthly mean × the contest's months) and `history.csv` (one row per seller and month).
 * Delimiter `,` `;` or tab (spreadsheets in Russian save with `;`); quotes as RFC 4180.
 */

export const PARTICIPANT_COLUMNS = [
  'id',
  'name',
  'team',
  'role',
  'hiredOn',
  'newcomer',
  'planTurnover',
  'planMargin',
  'planDeals',
  'planNewClients',
] as const;

export const HISTORY_COLUMNS = [
  'participantId',
  'month',
  'turnover',
  'margin',
  'deals',
  'newClients',
  'leads',
] as const;

export type CsvReason =
  | 'missingColumn'
  | 'required'
  | 'number'
  | 'integer'
  | 'date'
  | 'month'
  | 'role'
  | 'flag'
  | 'duplicate'
  | 'unknownParticipant'
  | 'quote'
  | 'empty';

export interface CsvProblem {
  file: 'participants' | 'history';
  /** 1-based line of the file (the header is line 1). */
  row: number;
  column: string;
  reason: CsvReason;
}

export interface CsvRow {
  line: number;
  cells: string[];
}

function detectDelimiter(firstLine: string): string {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char in counts) counts[char as keyof typeof counts] += 1;
  }
  return (Object.entries(counts).sort((a, b) => b[1] - a[1])[0] as [string, number])[0];
}

/** Rows of a CSV text with their line numbers; blank lines are skipped. */
export function parseCsv(text: string): { rows: CsvRow[]; unclosedQuoteAt: number | null } {
  const source = text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(source.slice(0, source.search(/\r?\n|$/)));
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 0;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((value) => value.trim() !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index] as string;
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        cell += char;
      }
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else cell += char;
  }
  if (quoted) return { rows, unclosedQuoteAt: quoteLine };
  endRow();
  return { rows, unclosedQuoteAt: null };
}

function quote(value: string): string {
  return /[",;\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return (
    rows.map((row) => row.map((value) => quote(String(value))).join(',')).join('\r\n') + '\r\n'
  );
}

/** "1 234 567,89" and "1234567.89" → 1234567.89; null when not a number. */
export function parseNumber(text: string): number | null {
  let value = text.replace(/[\s\u00a0\u202f']/g, '');
  if (value === '') return null;
  if (value.includes(',') && value.includes('.')) value = value.replaceAll(',', '');
  else value = value.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) return null;
  return Number(value);
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function table(
  file: CsvProblem['file'],
  text: string,
  columns: readonly string[],
  required: readonly string[],
  problems: CsvProblem[],
) {
  const { rows, unclosedQuoteAt } = parseCsv(text);
  if (unclosedQuoteAt !== null) {
    problems.push({ file, row: unclosedQuoteAt, column: '', reason: 'quote' });
  }
  const [header, ...body] = rows;
  if (header === undefined) {
    problems.push({ file, row: 1, column: '', reason: 'empty' });
    return [];
  }
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const index = new Map<string, number>();
  for (const column of columns) {
    const at = names.indexOf(column.toLowerCase());
    if (at >= 0) index.set(column, at);
    else if (required.includes(column)) {
      problems.push({ file, row: header.line, column, reason: 'missingColumn' });
    }
  }
  if (required.some((column) => !index.has(column))) return [];
  return body.map((row) => ({
    line: row.line,
    get: (column: string) => {
      const at = index.get(column);
      return at === undefined ? '' : (row.cells[at] ?? '').trim();
    },
  }));
}

/** Sellers and their history from the two CSV texts; every bad cell is named. */
export function participantsFromCsv({
  participantsText,
  historyText,
  months,
}: {
  participantsText: string;
  historyText: string | null;
  months: number;
}): { participants: ParticipantDraft[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const people = table(
    'participants',
    participantsText,
    PARTICIPANT_COLUMNS,
    ['id', 'name'],
    problems,
  );
  const histories = new Map<string, HistoryMonth[]>();
  const ids = new Set<string>();
  for (const row of people) {
    const id = row.get('id');
    if (id !== '') ids.add(id);
  }

  if (historyText !== null) {
    const rows = table(
      'history',
      historyText,
      HISTORY_COLUMNS,
      ['participantId', 'month', 'turnover', 'margin'],
      problems,
    );
    const seen = new Set<string>();
    for (const row of rows) {
      const bad = (column: string, reason: CsvReason) => {
        problems.push({ file: 'history', row: row.line, column, reason });
      };
      const participantId = row.get('participantId');
      const month = row.get('month');
      let ok = true;
      if (participantId === '') {
        bad('participantId', 'required');
        ok = false;
      } else if (!ids.has(participantId)) {
        bad('participantId', 'unknownParticipant');
        ok = false;
      }
      if (!MONTH.test(month)) {
        bad('month', month === '' ? 'required' : 'month');
        ok = false;
      } else if (seen.has(`${participantId}\u0000${month}`)) {
        bad('month', 'duplicate');
        ok = false;
      }
      const money = (column: string, required: boolean): number | undefined => {
        const text = row.get(column);
        if (text === '') {
          if (required) {
            bad(column, 'required');
            ok = false;
          }
          return undefined;
        }
        const value = parseNumber(text);
        if (value === null || value < 0) {
          bad(column, 'number');
          ok = false;
          return undefined;
        }
        return Math.round(value * 100);
      };
      const count = (column: string): number | undefined => {
        const text = row.get(column);
        if (text === '') return undefined;
        const value = parseNumber(text);
        if (value === null || !Number.isInteger(value) || value < 0) {
          bad(column, 'integer');
          ok = false;
          return undefined;
        }
        return value;
      };
      const turnoverMinor = money('turnover', true);
      const marginMinor = money('margin', true);
      const deals = count('deals');
      const newClients = count('newClients');
      const leads = count('leads');
      if (!ok || turnoverMinor === undefined || marginMinor === undefined) continue;
      seen.add(`${participantId}\u0000${month}`);
      const entry: HistoryMonth = { month, turnoverMinor, marginMinor };
      if (deals !== undefined) entry.deals = deals;
      if (newClients !== undefined) entry.newClients = newClients;
      if (leads !== undefined) entry.leads = leads;
      histories.set(participantId, [...(histories.get(participantId) ?? []), entry]);
    }
  }

  const participants: ParticipantDraft[] = [];
  const taken = new Set<string>();
  for (const row of people) {
    const bad = (column: string, reason: CsvReason) => {
      problems.push({ file: 'participants', row: row.line, column, reason });
    };
    let ok = true;
    const id = row.get('id');
    const name = row.get('name');
    if (id === '') {
      bad('id', 'required');
      ok = false;
    } else if (taken.has(id)) {
      bad('id', 'duplicate');
      ok = false;
    }
    if (name === '') {
      bad('name', 'required');
      ok = false;
    }
    const role = row.get('role').toLowerCase();
    if (role !== '' && role !== 'hunter' && role !== 'farmer') {
      bad('role', 'role');
      ok = false;
    }
    const hiredOn = row.get('hiredOn');
    if (hiredOn !== '' && !DATE.test(hiredOn)) {
      bad('hiredOn', 'date');
      ok = false;
    }
    const flag = row.get('newcomer').toLowerCase();
    let isNewcomer: boolean | null = null;
    if (['yes', 'true', '1', 'да'].includes(flag)) isNewcomer = true;
    else if (['no', 'false', '0', 'нет'].includes(flag)) isNewcomer = false;
    else if (flag !== '') {
      bad('newcomer', 'flag');
      ok = false;
    }
    const number = (column: string): number | null => {
      const text = row.get(column);
      if (text === '') return null;
      const value = parseNumber(text);
      if (value === null || value < 0) {
        bad(column, 'number');
        ok = false;
        return null;
      }
      return value;
    };
    const planTurnover = number('planTurnover');
    const planMargin = number('planMargin');
    const planDeals = number('planDeals');
    const planNewClients = number('planNewClients');
    if (!ok) continue;
    taken.add(id);
    const history = (histories.get(id) ?? []).sort((a, b) => a.month.localeCompare(b.month));
    const defaults = planFromHistory(history, months);
    participants.push({
      id,
      name,
      team: row.get('team'),
      role: role as ParticipantDraft['role'],
      hiredOn,
      isNewcomer,
      league: '',
      plan: {
        ...defaults,
        turnover: planTurnover ?? (history.length > 0 ? defaults.turnover : null),
        margin: planMargin ?? (history.length > 0 ? defaults.margin : null),
        deals: planDeals ?? defaults.deals,
        newClients: planNewClients ?? defaults.newClients,
      },
      history,
      stats: undefined,
    });
  }
  return { participants, problems };
}

/** The two templates, with two example sellers and three months of history. */
export function csvTemplates(): { participants: string; history: string } {
  return {
    participants: toCsv([
      [...PARTICIPANT_COLUMNS],
      ['p1', 'Anna Petrova', 'North', 'hunter', '2021-02-01', 'no', '', '', '', ''],
      ['p2', 'Ivan Sidorov', 'North', 'farmer', '2026-01-15', 'yes', '900000', '180000', '', '3'],
    ]),
    history: toCsv([
      [...HISTORY_COLUMNS],
      ['p1', '2025-10', '480000', '96000', '12', '2', '30'],
      ['p1', '2025-11', '510000', '101000', '13', '3', '33'],
      ['p1', '2025-12', '455000.50', '90500', '11', '1', '28'],
      ['p2', '2026-01', '300000', '60000', '6', '1', '20'],
    ]),
  };
}
