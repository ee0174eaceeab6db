import { parseInstant, type HistoryMonth } from '@podium/contest-model';
import {
  planFromHistory,
  type ParticipantDraft,
  type PlanDraft,
} from '../state/sim-draft.svelte.js';
import type { SheetText } from './AdminCsv.js';

/*
 * Participants from two files, CSV or XLSX, read by the server's one parser
 * (`POST /api/imports/sheet`, which writes nothing): `participants` (one row per seller, plans
 * for the whole contest in major units; empty plan cells take the history's monthly mean × the
 * contest's months) and `history` (one row per seller and month). These files need not match the
 * database: the simulator checks their rows here. Their templates come from the server
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
      // An XLSX date cell of the month reads as its first day.
      const month = row.get('month').replace(/^(\d{4}-\d{2})-01$/, '$1');
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

/** A stored monthly plan (`GET /api/participants/:id/plans`). */
export interface StoredPlan {
  month: string;
  turnoverMinor: number;
  marginMinor: number;
  deals?: number;
  newClients?: number;
}

/** Each calendar month the period touches, with the share of it inside the period. */
export function periodMonths({ start, end }: { start: string; end: string }): {
  month: string;
  share: number;
}[] {
  let startMs: number;
  let endMs: number;
  try {
    startMs = parseInstant(start);
    endMs = parseInstant(end);
  } catch {
    return [];
  }
  const months: { month: string; share: number }[] = [];
  const cursor = new Date(startMs);
  let from = Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth(), 1);
  while (from < endMs && months.length < 1200) {
    const date = new Date(from);
    const to = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    const inside = Math.min(to, endMs) - Math.max(from, startMs);
    months.push({
      month: `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`,
      share: inside / (to - from),
    });
    from = to;
  }
  return months;
}

/**
 * The contest's plan from the database: the stored plan of each month of the period (a month
 * the period only partly covers counts by that share), and for a month without one the history's
 * monthly mean, as before plans were stored. Average check and conversion stay historical.
 */
export function planFromStored({
  plans,
  history,
  period,
  months,
}: {
  plans: readonly StoredPlan[];
  history: readonly HistoryMonth[];
  period: { start: string; end: string };
  months: number;
}): PlanDraft {
  const fallback = planFromHistory(history, months);
  const covered = periodMonths(period);
  const byMonth = new Map(plans.map((plan) => [plan.month, plan]));
  if (covered.length === 0 || !covered.some(({ month }) => byMonth.has(month))) return fallback;
  const perMonth = (total: number | null) =>
    total === null || months === 0 ? null : total / months;
  const sum = (
    stored: (plan: StoredPlan) => number | undefined,
    mean: number | null,
    scale: number,
  ): number | null => {
    let total = 0;
    for (const { month, share } of covered) {
      const plan = byMonth.get(month);
      const value = plan === undefined ? undefined : stored(plan);
      if (value !== undefined) total += (value / scale) * share;
      else if (mean !== null) total += mean * share;
      else return null;
    }
    return total;
  };
  const turnover = sum((plan) => plan.turnoverMinor, perMonth(fallback.turnover ?? 0), 100);
  const margin = sum((plan) => plan.marginMinor, perMonth(fallback.margin ?? 0), 100);
  const deals = sum((plan) => plan.deals, perMonth(fallback.deals), 1);
  const newClients = sum((plan) => plan.newClients, perMonth(fallback.newClients), 1);
  return {
    ...fallback,
    // Whole currency units, as planFromHistory: a plan is a target, not an accounting figure.
    turnover: turnover === null ? null : Math.round(turnover),
    margin: margin === null ? null : Math.round(margin),
    deals: deals === null ? null : Math.round(deals * 10) / 10,
    newClients: newClients === null ? null : Math.round(newClients * 10) / 10,
  };
}
