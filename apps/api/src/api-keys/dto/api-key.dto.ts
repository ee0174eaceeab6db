import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../auth/principal.js';

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be blank').max(200),
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1, 'must grant at least one scope')
    .transform((scopes) => [...new Set(scopes)].sort())
    .meta({ description: `What the key may do: ${API_KEY_SCOPES.join(', ')}.` }),
});
export type CreateApiKeyDto = z.output<typeof createApiKeySchema>;

/** An API key as listed: never the key itself. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The key's first characters, to tell keys apart. */
  readonly keyPrefix: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdAt: string;
  /** Recorded at most once a minute. */
  readonly lastUsedAt: string | null;
}

/** The answer to a create: the only time the key is ever shown. */
export interface CreatedApiKeyView extends ApiKeyView {
  /** `pdk_…`: send as `Authorization: Bearer <key>`. */
  readonly key: string;
}

export const apiKeyViewSchema = documents<ApiKeyView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    keyPrefix: z.string(),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  }),
);
export const createdApiKeyViewSchema = documents<CreatedApiKeyView>()(
  apiKeyViewSchema.extend({ key: z.string() }),
);
