import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import type { Health } from '../health.service.js';

/** What `GET /api/health` answers, with 200 or 503, for the document. */
export const healthSchema = documents<Health>()(
  z.object({ status: z.enum(['ok', 'unavailable']), db: z.enum(['up', 'down']) }),
);
