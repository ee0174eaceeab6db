import { z } from 'zod';
import { documents } from '../common/validation/api-response.js';
import { IMPORT_KINDS, type ImportKind } from './import-kinds.js';
import type { SheetText } from './imports.service.js';

export const importKindSchema = z.enum(IMPORT_KINDS);

export const importQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => value === 'true' || value === '1')
    .meta({ description: 'Check every row and write nothing.' }),
});
export type ImportQuery = z.output<typeof importQuerySchema>;

/** `participants.csv`, `deals.xlsx`: a template's kind and format. */
export const templateFileSchema = z
  .string()
  .regex(/^(participants|plans|history|deals|simulator-participants)\.(csv|xlsx)$/, {
    error:
      'must be <name>.csv or <name>.xlsx, name one of participants, plans, history, deals, simulator-participants',
  });

/** A bad cell or row: where the user sees it in the spreadsheet, and why. */
export interface ImportIssue {
  /** 1-based spreadsheet row (the header is row 1). */
  readonly row: number;
  /** The column's header, empty for the whole row or file. */
  readonly column: string;
  /** A stable code the screen translates (`required`, `money`, `unknownParticipant`, …). */
  readonly code: string;
  /** The values the code's sentence names (`{ max: 200 }`, `{ row: 3 }`), when it names any. */
  readonly params?: Readonly<Record<string, number | string>>;
  /** The same in English words. */
  readonly reason: string;
  /** `row 5, turnover`: the common 4xx shape (`issues[].path`, `issues[].message`). */
  readonly path: string;
  readonly message: string;
}

export interface ImportReport {
  readonly kind: ImportKind;
  readonly dryRun: boolean;
  /** Data rows read (blank rows left out). */
  readonly rows: number;
  /** Rows without an issue. */
  readonly valid: number;
  readonly issues: readonly ImportIssue[];
  /** What the import wrote (or, in a dry run, would write). */
  readonly created: number;
  readonly updated: number;
}

/** What an import or its dry run answers (and a refused import's 400 carries), for the document. */
export const importReportSchema = documents<ImportReport>()(
  z.object({
    kind: importKindSchema,
    dryRun: z.boolean(),
    rows: z.int(),
    valid: z.int(),
    issues: z.array(
      z.object({
        row: z.int(),
        column: z.string(),
        code: z.string(),
        params: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
        reason: z.string(),
        path: z.string(),
        message: z.string(),
      }),
    ),
    created: z.int(),
    updated: z.int(),
  }),
);

/** A file's cells as text (`POST /api/imports/sheet`), for the document. */
export const sheetTextSchema = documents<SheetText>()(
  z.object({
    header: z.array(z.string()),
    rows: z.array(z.object({ row: z.int(), cells: z.array(z.string()) })),
  }),
);
