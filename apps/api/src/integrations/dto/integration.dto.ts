import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import { syncViewSchema, type SyncView } from '../sync/sync-view.js';

export const integrationKinds = ['webhook', 'amocrm', 'bitrix24', '1c-odata'] as const;

export const createIntegrationSchema = z.strictObject({
  kind: z.enum(integrationKinds),
  name: z.string().trim().min(1).max(100),
  /** Checked per kind by the service (dto/crm-settings.dto.ts): a 400 names `settings.<field>`. */
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type CreateIntegration = z.infer<typeof createIntegrationSchema>;

/**
 * `PATCH /api/integrations/:id`: a new name and/or the whole settings, checked per kind as at
 * creation. Bitrix24's `applicationToken` and `portalWebhookUrl`, amoCRM's `accessToken` and
 * 1C's `password` may be left out to keep the stored ones; `source` cannot change (the sales already counted carry it).
 */
export const updateIntegrationSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateIntegration = z.infer<typeof updateIntegrationSchema>;

/** `{ "<CRM user id>": "<participant id>" }`; replaces the whole mapping. */
export const mappingsSchema = z.record(z.string().min(1).max(200), z.string().min(1).max(200));
export type Mappings = z.infer<typeof mappingsSchema>;

export interface IntegrationView {
  readonly id: string;
  readonly kind: (typeof integrationKinds)[number];
  readonly name: string;
  readonly settings: Record<string, unknown>;
  readonly webhookUrl: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revoked: boolean;
  /** The pull sync of a CRM kind that has one; null for the others. */
  readonly sync: SyncView | null;
}

/** `GET /api/integrations/:id/held`: what the admin has to look at. */
export interface HeldView {
  readonly deals: readonly {
    dealId: string;
    crmUserId: string;
    reason: 'unmapped' | 'currency' | 'margin';
    detail: string;
    amountMinor: number;
    marginMinor: number | null;
    currency: string | null;
    occurredAt: string;
    heldAt: string;
  }[];
  readonly failedFetches: readonly {
    dealId: string;
    event: string;
    attempts: number;
    error: string;
    receivedAt: string;
    failedAt: string;
  }[];
  /** Bitrix24 reads queued or being retried. */
  readonly pendingFetches: number;
}

export const integrationViewSchema = documents<IntegrationView>()(
  z.object({
    id: z.string(),
    kind: z.enum(integrationKinds),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()),
    webhookUrl: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revoked: z.boolean(),
    sync: syncViewSchema.nullable(),
  }),
);
export const createdIntegrationViewSchema = documents<IntegrationView & { secret: string }>()(
  integrationViewSchema.extend({ secret: z.string() }),
);
export const heldViewSchema = documents<HeldView>()(
  z.object({
    deals: z.array(
      z.object({
        dealId: z.string(),
        crmUserId: z.string(),
        reason: z.enum(['unmapped', 'currency', 'margin']),
        detail: z.string(),
        amountMinor: z.number(),
        marginMinor: z.number().nullable(),
        currency: z.string().nullable(),
        occurredAt: z.string(),
        heldAt: z.string(),
      }),
    ),
    failedFetches: z.array(
      z.object({
        dealId: z.string(),
        event: z.string(),
        attempts: z.int(),
        error: z.string(),
        receivedAt: z.string(),
        failedAt: z.string(),
      }),
    ),
    pendingFetches: z.int(),
  }),
);

/** `GET /api/integrations/:id/crm-users`: a user of the CRM to map, by key and name. */
export const crmUserSchema = z.object({ id: z.string(), name: z.string() });

/** Seconds a signed request stays valid: older or future-dated ones are replays. */
export const REPLAY_WINDOW_S = 300;
export const SIGNATURE_HEADER = 'x-podium-signature';
export const TIMESTAMP_HEADER = 'x-podium-timestamp';
