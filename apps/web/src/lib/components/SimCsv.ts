import {
  parseBooleanCell,
  parseDateCell,
  parseDecimalCell,
  parseIntegerCell,
  parseMoneyCell,
  parseMonthCell,
  parseRoleCell,
  type HistoryMonth,
} from '@podium/contest-model';
import { planFromHistory } from '../state/sim-draft-plans.js';
import type { ParticipantDraft } from '../state/sim-draft-types.js';
import type { SheetText } from './AdminCsv.js';

/*
 * Participants from two files, CSV or XLSX, read by the server's one parser
 * (`POST /api/imports/sheet`, which writes nothing): `participants` (one row per seller, plans
 * for the whole contest in major units; empty plan cells take the history's monthly mean × the
 * contest's months) and `history` (one row per seller and month). These files need not match the
 * database: the simulator checks their rows here, reading each cell with the model's parser as the
 * server's import does. Their templates come from the server
 * (`simulator-participants` and `history`, CSV or XLSX, with every column explained).
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
  | 'empty';

export interface CsvProblem {
  file: 'participants' | 'history';
  /** 1-based line of the file (the header is line 1). */
  row: number;
  column: string;
  reason: CsvReason;
}

/** Counts as the server's import bounds them. */
const COUNT = { min: 0, max: 2_147_483_647 };

function table(
  file: CsvProblem['file'],
  sheet: SheetText,
  columns: readonly string[],
  required: readonly string[],
  problems: CsvProblem[],
) {
  if (sheet.header.every((name) => name === '')) {
    problems.push({ file, row: 1, column: '', reason: 'empty' });
    return [];
  }
  const names = sheet.header.map((cell) => cell.trim().toLowerCase());
  const index = new Map<string, number>();
  for (const column of columns) {
    const at = names.indexOf(column.toLowerCase());
    if (at >= 0) index.set(column, at);
    else if (required.includes(column)) {
      problems.push({ file, row: 1, column, reason: 'missingColumn' });
    }
  }
  if (required.some((column) => !index.has(column))) return [];
  return sheet.rows.map((row) => ({
    line: row.row,
    get: (column: string) => {
      const at = index.get(column);
      return at === undefined ? '' : (row.cells[at] ?? '').trim();
    },
  }));
}

/** Sellers and their history from the two CSV texts; every bad cell is named. */
export function participantsFromSheets({
  participantsSheet,
  historySheet,
  months,
}: {
  participantsSheet: SheetText;
  historySheet: SheetText | null;
  months: number;
}): { participants: ParticipantDraft[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const people = table(
    'participants',
    participantsSheet,
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

  if (historySheet !== null) {
    const rows = table(
      'history',
      historySheet,
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
      // Any day names its month (an XLSX date cell reads as its first day), as in the import.
      const parsedMonth = parseMonthCell(row.get('month'));
      const month = parsedMonth.ok ? parsedMonth.value : '';
      let ok = true;
      if (participantId === '') {
        bad('participantId', 'required');
        ok = false;
      } else if (!ids.has(participantId)) {
        bad('participantId', 'unknownParticipant');
        ok = false;
      }
      if (!parsedMonth.ok) {
        bad('month', row.get('month') === '' ? 'required' : 'month');
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
        const minor = parseMoneyCell(text, { min: 0 });
        if (!minor.ok) {
          bad(column, 'number');
          ok = false;
          return undefined;
        }
        return minor.value;
      };
      const count = (column: string): number | undefined => {
        const text = row.get(column);
        if (text === '') return undefined;
        const value = parseIntegerCell(text, COUNT);
        if (!value.ok) {
          bad(column, 'integer');
          ok = false;
          return undefined;
        }
        return value.value;
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
    /** The cell read by `parse`, '' or null when blank; a bad one is named with `reason`. */
    const read = <T>(
      column: string,
      parse: (text: string) => { ok: true; value: T } | { ok: false },
      reason: CsvReason,
    ): T | null => {
      const text = row.get(column);
      if (text === '') return null;
      const parsed = parse(text);
      if (parsed.ok) return parsed.value;
      bad(column, reason);
      ok = false;
      return null;
    };
    const role = read('role', parseRoleCell, 'role') ?? '';
    const hiredOn = read('hiredOn', parseDateCell, 'date') ?? '';
    const isNewcomer = read('newcomer', parseBooleanCell, 'flag');
    // Plans are in major units: read as money (one rounding, to the kopeck) like the import.
    const money = (text: string) => {
      const minor = parseMoneyCell(text, { min: 0 });
      return minor.ok ? { ok: true as const, value: minor.value / 100 } : minor;
    };
    const count = (text: string) => {
      const value = parseDecimalCell(text);
      return value.ok && value.value < 0 ? { ok: false as const } : value;
    };
    const planTurnover = read('planTurnover', money, 'number');
    const planMargin = read('planMargin', money, 'number');
    const planDeals = read('planDeals', count, 'number');
    const planNewClients = read('planNewClients', count, 'number');
    if (!ok) continue;
    taken.add(id);
    const history = (histories.get(id) ?? []).sort((a, b) => a.month.localeCompare(b.month));
    const defaults = planFromHistory(history, months);
    participants.push({
      id,
      name,
      team: row.get('team'),
      role,
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
