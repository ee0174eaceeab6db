import { z } from 'zod';
import { contestFileSchema } from './contest-file.schema.js';
import { contestEventSchema } from './event.schema.js';

/**
 * JSON Schema (draft 2020-12) of the contest file as a user writes it: fields with defaults are
 * optional. Cross-field rules (period order, contiguous places, plans required by percentOfPlan…)
 * are not expressible there; `parseContestFile` checks them.
 */
export function contestFileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(contestFileSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Podium contest file',
  };
}

/** JSON Schema of one event as `POST /api/events` accepts it. */
export function contestEventJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(contestEventSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Podium event',
  };
}
