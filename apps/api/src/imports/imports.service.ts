import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  Injectable,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { canonicalJson } from '../common/canonical-json.js';
import { actorOf } from '../auth/actor.js';
import { EventLogService } from '../events/event-log.service.js';
import { EventsService } from '../events/events.service.js';
import { HistoryService } from '../participants/history.service.js';
import { ParticipantsService } from '../participants/participants.service.js';
import { PlansService } from '../participants/plans.service.js';
import { DataSource, type EntityManager } from 'typeorm';
import { isBlankCell, type Cell, type CellProblem } from '@podium/contest-model';
import type { ImportIssue, ImportReport } from './imports.dto.js';
import {
  KIND_SPECS,
  type ImportKind,
  type KindItems,
  type KindSpec,
  type Written,
} from './import-kinds.js';
import type { DownloadFile } from './send-file.js';
import { CSV_TYPE, readSheet, XLSX_TYPE, type Sheet, type SheetFormat } from './sheet.reader.js';
import { template, type TemplateName } from './templates.js';

/** Largest file: rows after the header. */
export const MAX_IMPORT_ROWS = 10_000;

function issue(row: number, column: string, { code, reason, params }: CellProblem): ImportIssue {
  return {
    row,
    column,
    code,
    ...(params === undefined ? {} : { params }),
    reason,
    path: column === '' ? `row ${row}` : `row ${row}, ${column}`,
    message: reason,
  };
}

/** `readUpload`'s answer: every cell as the text a person would type for it. */
export interface SheetText {
  readonly header: readonly string[];
  readonly rows: readonly { readonly row: number; readonly cells: readonly string[] }[];
}

/** An XLSX date as a date (midnight UTC) or an instant; numbers as JavaScript prints them. */
function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return typeof cell === 'string' ? cell.trim() : String(cell);
}

/** The body and its format, from the content type; 415 for anything but CSV and XLSX. */
function uploaded(body: unknown, contentType: string | undefined): [Buffer, SheetFormat] {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const format = type === CSV_TYPE ? 'csv' : type === XLSX_TYPE ? 'xlsx' : null;
  if (format === null || !Buffer.isBuffer(body)) {
    throw new UnsupportedMediaTypeException(
      `send the file itself as the body, with content-type ${CSV_TYPE} or ${XLSX_TYPE}`,
    );
  }
  return [body, format];
}

/** The rows a file holds for a kind, each with the spreadsheet row it came from. */
interface ParsedFile<K extends ImportKind> {
  readonly rows: number;
  readonly items: { readonly row: number; readonly item: KindItems[K] }[];
  readonly issues: ImportIssue[];
}

/** Thrown inside a dry run's transaction to roll back what it wrote. */
class DryRunRollback extends Error {
  constructor(readonly written: Written) {
    super('dry run');
  }
}

/** A 4xx thrown by the writers whose issues name batch items (`[3].externalId`). */
function itemIssues(error: unknown): { index: number; field: string; message: string }[] | null {
  if (!(error instanceof HttpException) || error.getStatus() >= 500) return null;
  const body = error.getResponse() as { issues?: { path?: unknown; message?: unknown }[] };
  if (!Array.isArray(body.issues)) return null;
  return body.issues.map((each) => {
    const match = /^\[(\d+)\]\.?([A-Za-z]*)/.exec(String(each.path ?? ''));
    return {
      index: match ? Number(match[1]) : -1,
      field: match?.[2] ?? '',
      message: String(each.message ?? error.message),
    };
  });
}

/**
 * File imports (issue 8.5): participants with a month of plan, plans, monthly history and deals
 * from CSV or XLSX. Every row is checked first and every bad one named by its spreadsheet row and
 * column; a dry run writes nothing; a confirmed import writes every row in one transaction, or
 * nothing when any row is bad. Deals follow `POST /api/events`: idempotent on source and
 * externalId, counted by every live contest whose period and participants match.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly participants: ParticipantsService,
    private readonly history: HistoryService,
    private readonly plans: PlansService,
    private readonly events: EventsService,
    private readonly eventKeys: EventLogService,
  ) {}

  /** A file's cells as text, without any rule of a kind: the simulator reads its files so. */
  async readUpload(body: unknown, contentType: string | undefined): Promise<SheetText> {
    const sheet = await readSheet(...uploaded(body, contentType));
    return {
      header: sheet.header,
      rows: sheet.rows
        .filter((row) => !row.cells.every(isBlankCell))
        .map((row) => ({ row: row.row, cells: row.cells.map(cellText) })),
    };
  }

  /** An uploaded body: its content type says CSV or XLSX; the parsers hand it over as bytes. */
  async runUpload(
    kind: ImportKind,
    body: unknown,
    contentType: string | undefined,
    { dryRun, principal }: { dryRun: boolean; principal: Principal },
  ): Promise<ImportReport> {
    // Deals are events: only those who may call POST /api/events import them.
    if (kind === 'deals' && !(principal.kind === 'user' && principal.role === 'admin')) {
      throw new ForbiddenException('importing deals is for admins, as POST /api/events');
    }
    const [bytes, format] = uploaded(body, contentType);
    return this.run(kind, { bytes, format }, { dryRun, author: actorOf(principal) });
  }

  /** `participants.csv`, `deals.xlsx`, `simulator-participants.xlsx`: a template. */
  template(file: string): Promise<DownloadFile> {
    const [kind, format] = file.split('.') as [TemplateName, SheetFormat];
    return template(kind, format);
  }

  async run<K extends ImportKind>(
    kind: K,
    file: { bytes: Buffer; format: SheetFormat },
    { dryRun, author }: { dryRun: boolean; author: string },
  ): Promise<ImportReport> {
    const sheet = await readSheet(file.bytes, file.format);
    const parsed = this.parse(kind, sheet);
    const issues = [...parsed.issues, ...(await this.referenceIssues(kind, parsed))];
    let written = { created: 0, updated: 0 };
    if (issues.length === 0 && parsed.items.length > 0) {
      try {
        let contestIds: readonly string[] = [];
        await this.dataSource.transaction(async (manager) => {
          const result = await this.write(kind, parsed, manager, author);
          if (dryRun) throw new DryRunRollback(result);
          written = result;
          contestIds = result.contestIds;
        });
        this.events.notifyContests(contestIds);
      } catch (error) {
        if (error instanceof DryRunRollback) written = error.written;
        else issues.push(...this.writerIssues(kind, parsed, error));
      }
    }
    issues.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    const report: ImportReport = {
      kind,
      dryRun,
      rows: parsed.rows,
      // A bad header (or an unreadable file) leaves the rows unchecked: none counts as good.
      valid: issues.some((each) => each.row === 1)
        ? 0
        : parsed.rows - new Set(issues.map((each) => each.row)).size,
      issues,
      ...written,
    };
    if (!dryRun && issues.length > 0) {
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `nothing was imported: ${issues[0]?.path}: ${issues[0]?.reason}${more}`,
        ...report,
        created: 0,
        updated: 0,
      });
    }
    return report;
  }

  /** The kind's items from the sheet, and every problem of the header and the rows. */
  private parse<K extends ImportKind>(kind: K, sheet: Sheet): ParsedFile<K> {
    const spec: KindSpec<KindItems[K]> = KIND_SPECS[kind];
    const issues: ImportIssue[] = [];
    const known = new Map(spec.columns.map((column) => [column.name.toLowerCase(), column.name]));
    const indexOf = new Map<string, number>();
    sheet.header.forEach((name, index) => {
      if (name === '') return;
      const column = known.get(name.toLowerCase());
      if (column === undefined) {
        issues.push(
          issue(1, name, {
            code: 'unknownColumn',
            reason: `unknown column; expected ${spec.columns.map((each) => each.name).join(', ')}`,
            params: { expected: spec.columns.map((each) => each.name).join(', ') },
          }),
        );
      } else if (indexOf.has(column)) {
        issues.push(issue(1, name, { code: 'duplicateColumn', reason: 'column given twice' }));
      } else indexOf.set(column, index);
    });
    for (const column of spec.columns) {
      if (column.required && !indexOf.has(column.name)) {
        issues.push(issue(1, column.name, { code: 'missingColumn', reason: 'column missing' }));
      }
    }
    const body = sheet.rows.filter((row) => !row.cells.every(isBlankCell));
    if (body.length > MAX_IMPORT_ROWS) {
      issues.push(
        issue(MAX_IMPORT_ROWS + 2, '', {
          code: 'tooManyRows',
          reason: `a file may hold at most ${MAX_IMPORT_ROWS} rows; split it`,
          params: { max: MAX_IMPORT_ROWS },
        }),
      );
    }
    if (issues.length > 0) return { rows: body.length, items: [], issues };

    const items: { row: number; item: KindItems[K] }[] = [];
    const firstRowOf = new Map<string, { row: number; payload: string }>();
    for (const { row, cells } of body) {
      const before = issues.length;
      const width = sheet.header.length;
      if (cells.slice(width).some((cell) => !isBlankCell(cell))) {
        issues.push(issue(row, '', { code: 'extraCells', reason: 'more cells than columns' }));
      }
      const item = spec.build({
        cell: (column) => {
          const index = indexOf.get(column);
          return index === undefined ? null : (cells[index] ?? null);
        },
        problem: (column, problem) => issues.push(issue(row, column, problem)),
      });
      if (item === null || issues.length > before) continue;
      const key = spec.key(item);
      const first = firstRowOf.get(key);
      const payload = canonicalJson(item);
      if (first === undefined) firstRowOf.set(key, { row, payload });
      else if (!spec.identicalRepeatsAllowed || first.payload !== payload) {
        issues.push(
          issue(row, spec.keyColumn, {
            code: 'duplicate',
            reason: `repeats row ${first.row}`,
            params: { row: first.row },
          }),
        );
        continue;
      }
      items.push({ row, item });
    }
    return { rows: body.length, items, issues };
  }

  /** Rows naming a participant that does not exist. */
  private async referenceIssues<K extends ImportKind>(
    kind: K,
    parsed: ParsedFile<K>,
  ): Promise<ImportIssue[]> {
    const spec: KindSpec<KindItems[K]> = KIND_SPECS[kind];
    const ids = [...new Set(parsed.items.flatMap(({ item }) => spec.references(item) ?? []))];
    if (ids.length === 0) return [];
    const existing = await this.participants.existingIds(ids);
    return parsed.items.flatMap(({ row, item }) => {
      const id = spec.references(item);
      return id === null || existing.has(id)
        ? []
        : [
            issue(row, 'participantId', {
              code: 'unknownParticipant',
              reason: `unknown participant "${id}"`,
              params: { id },
            }),
          ];
    });
  }

  /** Writes every item in the caller's transaction, with the kind's own writer. */
  private write<K extends ImportKind>(
    kind: K,
    parsed: ParsedFile<K>,
    manager: EntityManager,
    author: string,
  ): Promise<Written> {
    const spec: KindSpec<KindItems[K]> = KIND_SPECS[kind];
    return spec.write(
      parsed.items.map(({ item }) => item),
      {
        manager,
        author,
        participants: this.participants,
        plans: this.plans,
        history: this.history,
        events: this.events,
        eventKeys: this.eventKeys,
      },
    );
  }

  /** What a writer refused (a 400 or 409 naming batch items), placed on the file's rows. */
  private writerIssues<K extends ImportKind>(
    kind: K,
    parsed: ParsedFile<K>,
    error: unknown,
  ): ImportIssue[] {
    const named = itemIssues(error);
    if (named === null) throw error;
    return named.map(({ index, field, message }) => {
      const row = parsed.items[index]?.row ?? 1;
      const column = KIND_SPECS[kind].columnOfField[field] ?? field;
      return issue(row, column, { code: 'refused', reason: message });
    });
  }
}
