import { contestRulesSchema, type ContestRules } from '@podium/contest-model';
import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';

/**
 * `GET /api/contests/:id/rules`: the rules every reader of the contest may see, without plans,
 * participants or anyone's figures.
 */
export const contestRulesViewSchema = documents<ContestRules & { id: string }>()(
  contestRulesSchema.extend({ id: z.string() }),
);
