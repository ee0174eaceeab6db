import { z } from 'zod';

/** ISO 8601 instant with a zone (`Z` or `+03:00`): an event must say when it happened, unambiguously. */
export const instantSchema = z.iso.datetime({ offset: true });

const eventBase = {
  externalId: z
    .string()
    .min(1)
    .max(200)
    .meta({ description: 'Id of the event in its source; (source, externalId) is unique.' }),
  source: z
    .string()
    .min(1)
    .max(100)
    .meta({ description: 'The system the event comes from (crm, 1c, manual, …).' }),
  participantId: z.string().min(1),
  occurredAt: instantSchema,
};

export const saleEventSchema = z.strictObject({
  type: z.literal('sale'),
  ...eventBase,
  amountMinor: z.int().min(0).meta({ description: 'Turnover of the deal in minor units.' }),
  marginMinor: z
    .int()
    .meta({ description: 'Margin (gross profit) of the deal in minor units; may be negative.' }),
  clientId: z.string().min(1).optional(),
  isNewClient: z.boolean().default(false),
  product: z.string().min(1).optional(),
  quantity: z.number().positive().default(1),
});

export const leadEventSchema = z.strictObject({
  type: z.literal('lead'),
  ...eventBase,
  clientId: z.string().min(1).optional(),
});

export const reversalEventSchema = z.strictObject({
  type: z.literal('reversal'),
  ...eventBase,
  reversesExternalId: z
    .string()
    .min(1)
    .max(200)
    .meta({ description: 'externalId (same source) of the event this reversal cancels.' }),
});

export const counterEventSchema = z.strictObject({
  type: z.literal('counter'),
  ...eventBase,
  name: z.string().min(1).max(100).meta({ description: 'Counter name, e.g. calls or meetings.' }),
  value: z.number(),
});

/** One event as `POST /api/events` and the contest file's `events` accept it. */
export const contestEventSchema = z.discriminatedUnion('type', [
  saleEventSchema,
  leadEventSchema,
  reversalEventSchema,
  counterEventSchema,
]);

export type SaleEvent = z.infer<typeof saleEventSchema>;
export type LeadEvent = z.infer<typeof leadEventSchema>;
export type ReversalEvent = z.infer<typeof reversalEventSchema>;
export type CounterEvent = z.infer<typeof counterEventSchema>;
export type ContestEvent = z.infer<typeof contestEventSchema>;
/** An event as a client may send it (defaults not yet applied). */
export type ContestEventInput = z.input<typeof contestEventSchema>;
