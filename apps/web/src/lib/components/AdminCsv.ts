/**
 * A small CSV reader for participant imports (RFC 4180: quoted fields with doubled quotes and
 * line breaks inside, CRLF or LF, a BOM; comma, semicolon or tab as the separator, guessed from
 * the header line), and the checks that turn its rows into `PUT /api/participants` items.
 */

export interface CsvTable {
  /** Records with the line each starts on (1-based), blank lines left out. */
  records: { line: number; fields: string[] }[];
  /** Set when a quote is never closed: the line it opened on. */
  unclosedQuoteAt: number | null;
}

export function guessSeparator(text: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((separator) => ({
    separator,
    count: header.split(separator).length - 1,
  }));
  const best = counts.sort((a, b) => b.count - a.count)[0];
  return best && best.count > 0 ? best.separator : ',';
}

export function parseCsv(input: string, separator = guessSeparator(input)): CsvTable {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvTable['records'] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  let touched = false;

  const endRecord = () => {
    fields.push(field);
    if (touched || fields.length > 1 || field !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    touched = false;
  };

  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 1;
        } else quoted = false;
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      touched = true;
      field = '';
      quoteLine = line;
    } else if (char === separator) {
      fields.push(field);
      field = '';
      touched = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += char;
    }
  }
  if (quoted) return { records, unclosedQuoteAt: quoteLine };
  endRecord();
  return { records, unclosedQuoteAt: null };
}

export type ParticipantColumn =
  'id' | 'name' | 'team' | 'role' | 'hiredOn' | 'league' | 'isNewcomer';

export const participantColumns: readonly ParticipantColumn[] = [
  'id',
  'name',
  'team',
  'role',
  'hiredOn',
  'league',
  'isNewcomer',
];

/** Why a cell is refused; the screen turns it into a sentence in the reader's language. */
export type CsvProblem =
  | 'required'
  | 'role'
  | 'date'
  | 'boolean'
  | 'duplicate'
  | 'columns'
  | 'unknownColumn'
  | 'noHeader'
  | 'quote'
  | 'tooLong';

export interface CsvIssue {
  /** The line of the file (1-based; the header is line 1). */
  row: number;
  column: string;
  problem: CsvProblem;
}

export interface ParticipantImport {
  id: string;
  name: string;
  team: string | null;
  role?: 'hunter' | 'farmer';
  hiredOn: string | null;
  league: string | null;
  isNewcomer: boolean | null;
}

export interface ImportPreview {
  items: ParticipantImport[];
  /** The line each item came from, parallel to `items` (to place the server's issues). */
  lines: number[];
  issues: CsvIssue[];
}

function validDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Reads a participants CSV into import items and every problem found (row, column, reason). */
export function previewParticipants(text: string): ImportPreview {
  const table = parseCsv(text);
  const issues: CsvIssue[] = [];
  const items: ParticipantImport[] = [];
  const lines: number[] = [];
  if (table.unclosedQuoteAt !== null) {
    issues.push({ row: table.unclosedQuoteAt, column: '', problem: 'quote' });
  }
  const [header, ...rows] = table.records;
  const names = (header?.fields ?? []).map((name) => name.trim());
  const known = new Map(participantColumns.map((column) => [column.toLowerCase(), column]));
  const columns = names.map((name) => known.get(name.toLowerCase()) ?? null);
  names.forEach((name, index) => {
    if (columns[index] === null && name !== '') {
      issues.push({ row: header?.line ?? 1, column: name, problem: 'unknownColumn' });
    }
  });
  if (!columns.includes('id') || !columns.includes('name')) {
    issues.push({ row: header?.line ?? 1, column: '', problem: 'noHeader' });
    return { items, lines, issues };
  }
  const seen = new Set<string>();
  for (const record of rows) {
    const cells: Partial<Record<ParticipantColumn, string>> = {};
    columns.forEach((column, index) => {
      if (column) cells[column] = (record.fields[index] ?? '').trim();
    });
    const before = issues.length;
    const problem = (column: string, kind: CsvProblem) =>
      issues.push({ row: record.line, column, problem: kind });
    if (record.fields.length > names.length) problem('', 'columns');
    const id = cells.id ?? '';
    const name = cells.name ?? '';
    if (id === '') problem('id', 'required');
    else if (seen.has(id)) problem('id', 'duplicate');
    if (name === '') problem('name', 'required');
    for (const column of ['id', 'name', 'team'] as const) {
      if ((cells[column] ?? '').length > 200) problem(column, 'tooLong');
    }
    const role = (cells.role ?? '').toLowerCase();
    if (role !== '' && role !== 'hunter' && role !== 'farmer') problem('role', 'role');
    const hiredOn = cells.hiredOn ?? '';
    if (hiredOn !== '' && !validDate(hiredOn)) problem('hiredOn', 'date');
    const newcomer = (cells.isNewcomer ?? '').toLowerCase();
    if (!['', 'true', 'false', 'yes', 'no', '1', '0'].includes(newcomer)) {
      problem('isNewcomer', 'boolean');
    }
    seen.add(id);
    if (issues.length > before) continue;
    items.push({
      id,
      name,
      team: cells.team ? cells.team : null,
      ...(role === 'hunter' || role === 'farmer' ? { role } : {}),
      hiredOn: hiredOn === '' ? null : hiredOn,
      league: cells.league ? cells.league : null,
      isNewcomer: newcomer === '' ? null : ['true', 'yes', '1'].includes(newcomer),
    });
    lines.push(record.line);
  }
  return { items, lines, issues };
}
