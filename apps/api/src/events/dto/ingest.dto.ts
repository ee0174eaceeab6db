import { contestEventSchema } from '@podium/contest-model';
import { z } from 'zod';

/** Largest batch `POST /api/events` takes. */
export const MAX_BATCH = 1_000;

/** One event, or an array of 1 to 1,000; each item is validated on its own so all issues are named. */
export const ingestBodySchema = z.union([
  z.array(z.unknown()).min(1).max(MAX_BATCH),
  z.record(z.string(), z.unknown()),
]);

/** For OpenAPI only: what a client may send. */
export const ingestBodyDocSchema = z.union([
  contestEventSchema,
  z.array(contestEventSchema).min(1).max(MAX_BATCH),
]);

export interface IngestedEvent {
  readonly id: number;
  readonly source: string;
  readonly externalId: string;
  /** The live contests that count the event, with the sequence number it got in each. */
  readonly contests: readonly { contestId: string; seq: number }[];
}

export interface IngestAnswer {
  /** 201 when the request stored something new, 200 when every event was already stored. */
  readonly status: 200 | 201;
  readonly body: IngestedEvent | { events: IngestedEvent[] };
}
