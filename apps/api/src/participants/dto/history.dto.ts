import { historyMonthSchema } from '@podium/contest-model';
import { z } from 'zod';
import type { BatchIssue } from '../batch-validation.pipe.js';
import { field, items, participantIdSchema } from './participant.dto.js';

/** Largest batch of `PUT /api/history`. */
export const MAX_HISTORY_ROWS_PER_BATCH = 10_000;
/** Months one participant may have (a century). */
export const MAX_HISTORY_MONTHS = 1_200;

/** Counts are `integer` columns. */
const count = z.int().min(0).max(2_147_483_647).optional();

/** The library's history month (what contest files carry), with counts that fit the database. */
export const historyMonthApiSchema = historyMonthSchema.extend({
  deals: count,
  newClients: count,
  leads: count,
});
export type HistoryMonthDto = z.output<typeof historyMonthApiSchema>;

export const replaceHistorySchema = z.array(historyMonthApiSchema).max(MAX_HISTORY_MONTHS);

/** A month given twice. */
export function replaceHistoryIssues(input: unknown): BatchIssue[] {
  const issues: BatchIssue[] = [];
  const seen = new Map<string, number>();
  items(input).forEach((row, index) => {
    const month = field(row, 'month');
    if (typeof month !== 'string') return;
    const first = seen.get(month);
    if (first !== undefined) {
      issues.push({
        path: [index, 'month'],
        message: `duplicate month ${month} (first at [${first}])`,
      });
    } else seen.set(month, index);
  });
  return issues;
}
export type ReplaceHistoryDto = z.output<typeof replaceHistorySchema>;

export const historyRowSchema = z.strictObject({
  participantId: participantIdSchema,
  ...historyMonthApiSchema.shape,
});
export type HistoryRowDto = z.output<typeof historyRowSchema>;

export const bulkHistorySchema = z.array(historyRowSchema).max(MAX_HISTORY_ROWS_PER_BATCH);

/** The same month of the same participant given twice. */
export function bulkHistoryIssues(input: unknown): BatchIssue[] {
  const issues: BatchIssue[] = [];
  const seen = new Map<string, number>();
  items(input).forEach((row, index) => {
    const participantId = field(row, 'participantId');
    const month = field(row, 'month');
    if (typeof participantId !== 'string' || typeof month !== 'string') return;
    const key = `${participantId}\u0000${month}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: [index, 'month'],
        message: `duplicate month ${month} for participant "${participantId}" (first at [${first}])`,
      });
    } else seen.set(key, index);
  });
  return issues;
}
export type BulkHistoryDto = z.output<typeof bulkHistorySchema>;

export interface BulkHistoryResult {
  readonly created: number;
  readonly updated: number;
}
