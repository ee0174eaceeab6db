import { z } from 'zod';
import { IMPORT_KINDS, type ImportKind } from './import-kinds.js';

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
