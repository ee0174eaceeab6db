import {
  isBlankCell,
  parseIntegerCell,
  parseMoneyCell,
  parseTextCell,
  type Cell,
  type CellParsed,
  type CellProblem,
} from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { EventLogService } from '../../events/event-log.service.js';
import type { EventsService } from '../../events/events.service.js';
import type { HistoryService } from '../../participants/history.service.js';
import type { ParticipantsService } from '../../participants/participants.service.js';
import type { PlansService } from '../../participants/plans.service.js';

/** One column of a file: its header, whether every row needs it, and what it holds. */
export interface ColumnSpec {
  readonly name: string;
  readonly required: boolean;
  /** The template's example row. */
  readonly example: string | number;
  readonly en: string;
  readonly ru: string;
}

/** Reads one row: `cell(column)` the raw cell; `problem` records a bad one. */
export interface RowReader {
  cell(column: string): Cell;
  problem(column: string, problem: CellProblem): void;
}

/** What a kind's writer may use, inside the import's one transaction. */
export interface WriteContext {
  readonly manager: EntityManager;
  readonly author: string;
  readonly participants: ParticipantsService;
  readonly plans: PlansService;
  readonly history: HistoryService;
  readonly events: EventsService;
  readonly eventKeys: EventLogService;
}

export interface Written {
  readonly created: number;
  readonly updated: number;
  /** Contests whose standings the write changed (deals), to notify after the commit. */
  readonly contestIds: readonly string[];
}

/** One kind of file: its columns, how a row becomes an item, and how the items are written. */
export interface KindSpec<Item> {
  readonly columns: readonly ColumnSpec[];
  /** The row's item, or null when a cell was bad (then `problem` was called). */
  build(row: RowReader): Item | null;
  /** The key rows must not repeat (participant id; participant and month; source and id). */
  key(item: Item): string;
  /** The column a repeated row is reported under. */
  readonly keyColumn: string;
  /** A repeat of an earlier row with the same content is harmless (ingestion is idempotent). */
  readonly identicalRepeatsAllowed: boolean;
  /** The participant the row refers to, which must exist (null: the row creates it). */
  references(item: Item): string | null;
  /** Item fields a writer's refusal names → the file's columns. */
  readonly columnOfField: Readonly<Record<string, string>>;
  /** Writes every item in the caller's transaction. */
  write(items: readonly Item[], context: WriteContext): Promise<Written>;
}

/** Money columns are in major units (roubles, not kopecks), as people keep them in sheets. */
export const MONEY_EN = ', in major units (180000.50 or 180 000,50)';
export const MONEY_RU = ', в рублях (180000.50 или 180 000,50)';
const COUNT = { min: 0, max: 2_147_483_647 };

/** How one field of a row's item is read: from which column, with what parser. */
export interface Field<T = unknown> {
  readonly column: string;
  readonly parse: (cell: Cell) => CellParsed<T>;
  /** A blank cell is a problem (`required`) rather than a field left out. */
  readonly required?: boolean;
}

export type Fields = Readonly<Record<string, Field>>;

/** The fields read from a row; a blank optional cell leaves its field out. */
export type Values<F extends Fields> = {
  [K in keyof F]?: F[K] extends Field<infer T> ? T : never;
};

/**
 * Reads every field of `fields` from the row, in their order, recording each bad or missing
 * cell; null when any was.
 */
export function readFields<F extends Fields>(row: RowReader, fields: F): Values<F> | null {
  const values: Record<string, unknown> = {};
  let failed = false;
  for (const [name, { column, parse, required }] of Object.entries(fields)) {
    const cell = row.cell(column);
    if (isBlankCell(cell)) {
      if (required) {
        row.problem(column, { code: 'required', reason: 'is required' });
        failed = true;
      }
      continue;
    }
    const parsed = parse(cell);
    if (parsed.ok) values[name] = parsed.value;
    else {
      row.problem(column, parsed);
      failed = true;
    }
  }
  return failed ? null : (values as Values<F>);
}

/** The column a field of `fields` is read from (the field's own name when none is). */
export const columnOf =
  (fields: Fields) =>
  (name: string): string =>
    fields[name]?.column ?? name;

/** Runs the API's own schema on the built item, so a file obeys the same rules as JSON. */
export function checked<T>(
  row: RowReader,
  schema: z.ZodType<T>,
  value: unknown,
  columnOfField: (field: string) => string,
): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    row.problem(columnOfField(String(issue.path[0] ?? '')), {
      code: 'rule',
      reason: issue.message,
    });
  }
  return null;
}

export const text = (max: number) => (cell: Cell) => parseTextCell(cell, max);
export const money = (min: number | null) => (cell: Cell) => parseMoneyCell(cell, { min });
export const count = (cell: Cell) => parseIntegerCell(cell, COUNT);

/** A field read from `column`. */
export const field = <T>(
  column: string,
  parse: (cell: Cell) => CellParsed<T>,
  required = false,
): Field<T> => ({ column, parse, required });
