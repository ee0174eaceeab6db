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

/**
 * The largest amount or margin of one event, in minor units (10 trillion major units): far above
 * any real deal, and small enough that a total of up to 9 such deals — and any total below
 * `Number.MAX_SAFE_INTEGER` (9,007,199,254,740,991) — is summed exactly in a JavaScript number.
 */
export const MAX_EVENT_MINOR = 1_000_000_000_000_000;

/** The largest quantity of one sale (units, kilograms…): finite, and exact in a sum of millions. */
export const MAX_EVENT_QUANTITY = 1_000_000_000;

/**
 * What is wrong with a sale's margin against its amount, or null: a margin above the amount
 * would mean the deal cost less than nothing, which is a swapped or mistyped field. A negative
 * margin (a loss-making deal) is fine. CRM connectors hold such a deal instead of sending it.
 */
export function saleMarginProblem(sale: {
  amountMinor: number;
  marginMinor: number;
}): string | null {
  return sale.marginMinor > sale.amountMinor
    ? `must not be above amountMinor (${sale.amountMinor}): the margin is what is left of the amount`
    : null;
}

export const saleEventSchema = z
  .strictObject({
    type: z.literal('sale'),
    ...eventBase,
    amountMinor: z
      .int()
      .min(0)
      .max(MAX_EVENT_MINOR)
      .meta({ description: 'Turnover of the deal in minor units.' }),
    marginMinor: z.int().min(-MAX_EVENT_MINOR).max(MAX_EVENT_MINOR).meta({
      description:
        'Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal.',
    }),
    clientId: z.string().min(1).optional(),
    isNewClient: z.boolean().default(false),
    product: z.string().min(1).optional(),
    quantity: z.number().positive().max(MAX_EVENT_QUANTITY).default(1),
  })
  .superRefine((sale, context) => {
    // zod runs this even when a field failed; a bad amount is named on its own already.
    const valid = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value);
    if (!valid(sale.amountMinor) || sale.amountMinor < 0 || !valid(sale.marginMinor)) return;
    const problem = saleMarginProblem(sale);
    if (problem !== null) {
      context.addIssue({
        code: 'custom',
        path: ['marginMinor'],
        message: problem,
        params: { code: 'marginAboveAmount', amount: sale.amountMinor },
      });
    }
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
