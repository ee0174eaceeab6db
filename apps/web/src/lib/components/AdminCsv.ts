import { ApiError, type FieldIssue } from '../api.js';
import type { Schemas } from '../api/client.js';
import { session } from '../state/session.svelte.js';

/*
 * Files go to the server as they are: it reads CSV (`,` `;` or tab, BOM, quotes) and XLSX with
 * one parser (`apps/api/src/imports`), so the admin import, the simulator and the API agree on
 * every cell. This module only sends them.
 */

export const IMPORT_KINDS = ['participants', 'plans', 'history', 'deals'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The content type the server reads a file by: XLSX by its name, anything else as CSV. */
export function fileType(file: File): string {
  return /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE ? XLSX_TYPE : 'text/csv';
}

/** What an import or its dry run answers. */
export type ImportReport = Schemas['ImportReport'];
/** A bad cell or row, where the spreadsheet shows it. */
export type ImportIssue = ImportReport['issues'][number];
/** A file's cells as text, read by the server, writing nothing. */
export type SheetText = Schemas['SheetText'];

async function send(path: string, file: File): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': fileType(file) };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const response = await fetch(`/api${path}`, { method: 'POST', headers, body: file });
  const text = await response.text();
  if (response.status === 401) session.expire();
  try {
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  } catch {
    // A proxy's HTML error page, say: its text is the message.
    return { status: response.status, body: { message: text } };
  }
}

function refusal(status: number, body: unknown): ApiError {
  const error = (body ?? {}) as { message?: string; issues?: FieldIssue[] };
  return new ApiError(status, error.message ?? String(status), error.issues ?? []);
}

/**
 * A dry run (`dryRun`) or the import itself. A file with bad rows answers its report either way
 * (the import's 400 carries the same issues); other refusals throw an {@link ApiError}.
 */
export async function importFile(
  kind: ImportKind,
  file: File,
  dryRun: boolean,
): Promise<ImportReport> {
  const { status, body } = await send(`/imports/${kind}${dryRun ? '?dryRun=true' : ''}`, file);
  const report = body as Partial<ImportReport> | null;
  if (status === 200 || (status === 400 && Array.isArray(report?.issues) && report.kind === kind)) {
    return body as ImportReport;
  }
  throw refusal(status, body);
}

export async function readSheet(file: File): Promise<SheetText> {
  const { status, body } = await send('/imports/sheet', file);
  if (status !== 200) throw refusal(status, body);
  return body as SheetText;
}
