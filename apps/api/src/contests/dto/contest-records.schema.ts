import {
  contestDefinitionSchema,
  contestEventSchema,
  type ContestFile,
} from '@podium/contest-model';
import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import type { FeedEvent } from '../../events/events.repository.js';
import type { AuditRecord } from '../contest-audit.repository.js';

/** `GET /api/contests/:id/file`: the contest file as stored (frozen at launch), without events. */
export const contestDefinitionViewSchema =
  documents<Omit<ContestFile, 'events'>>()(contestDefinitionSchema);

/** One stored event of `GET /api/contests/:id/events`, newest first. */
export const feedEventSchema = documents<FeedEvent>()(
  z.object({
    seq: z.int(),
    id: z.int(),
    author: z.string().nullable(),
    receivedAt: z.string(),
    event: contestEventSchema,
  }),
);

/** One row of `GET /api/contests/:id/audit`, oldest first. */
export const auditEntrySchema = documents<AuditRecord>()(
  z.object({
    id: z.int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    fromState: z.string().nullable(),
    toState: z.string().nullable(),
    details: z.unknown(),
  }),
);
