import { z } from 'zod';

/**
 * Settings of the CRM integrations, validated per kind when an integration is created (a 400
 * names `settings.<field>`). The margin of a deal is either a share of its amount (`marginRate`)
 * or read from a CRM field (`marginField`): exactly one of the two.
 */
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as RUB' })
  .default('RUB')
  .meta({
    description:
      'Currency of the deals counted. Bitrix24 deals in another currency are held with the reason "currency" (never converted at a guessed rate); amoCRM has one account currency and sends none.',
  });

const source = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, { error: 'letters, digits and . _ : - only' })
  .optional()
  .meta({
    description:
      'The `source` of the events this integration produces (default: its kind); unique among integrations.',
  });

const marginRate = z
  .number()
  .min(0, { error: 'must be between 0 and 1' })
  .max(1, { error: 'must be between 0 and 1' })
  .optional()
  .meta({ description: 'Margin as a share of the deal amount, 0..1 (0.25 = 25 %).' });

const pipelineIds = z
  .array(z.int().min(0))
  .max(1_000)
  .default([])
  .meta({ description: 'Pipelines (amoCRM) or deal categories (Bitrix24) counted; empty = all.' });

/**
 * What a won deal's clients and product rows give its sale, and whether deals count as leads.
 * Each is opt-in and optional rather than defaulted: settings stored before they existed read as
 * off, and the stored settings show only what the admin chose.
 */
const newClients = z.boolean().optional().meta({
  description:
    "Read each won deal's client (its company, else its main contact) as the sale's clientId (`company-<id>`, `contact-<id>`), and mark the sale isNewClient when the CRM shows no earlier won deal of that client (and Podium's history of the integration agrees). Default off.",
});

const productRows = z.enum(['off', 'perRow', 'main']).optional().meta({
  description:
    "Read a won deal's product rows (Bitrix24 crm.deal.productrows.get, amoCRM catalog elements linked to the lead) as the sale's product and quantity: `perRow` one sale per row, `main` one sale of the deal's amount with its largest row's product and quantity; `off` (default) none.",
});

/** Minutes between two pull syncs of an integration whose settings do not say. */
export const DEFAULT_SYNC_INTERVAL_MINUTES = 5;

/** Optional rather than defaulted: settings stored before it existed read the same way. */
export const syncIntervalMinutes = z
  .int()
  .min(1)
  .max(1_440)
  .optional()
  .meta({
    description: `Minutes between two pull syncs of the CRM (1..1440, default ${DEFAULT_SYNC_INTERVAL_MINUTES}): the guarantee behind the webhooks.`,
  });

/** A Bitrix24 portal's address as its calls name it (`auth[domain]`), lower case. */
export const portalDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, {
    error: 'must be the portal address, e.g. acme.bitrix24.ru',
  });

/** A Bitrix24 portal's id as its calls name it (`auth[member_id]`, 32 hex digits in practice). */
export const portalMemberId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,64}$/, { error: 'must be the portal id (auth[member_id])' });

/** True for a time zone this runtime knows (IANA names: Europe/Moscow, Asia/Yekaterinburg …). */
function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Exactly one of marginRate and marginField. */
function oneMargin(
  value: { marginRate?: number | undefined; marginField?: unknown },
  ctx: z.RefinementCtx,
) {
  const both = value.marginRate !== undefined && value.marginField !== undefined;
  const none = value.marginRate === undefined && value.marginField === undefined;
  if (both || none) {
    ctx.addIssue({
      code: 'custom',
      path: ['marginRate'],
      params: { code: both ? 'exclusive' : 'required' },
      message: both
        ? 'give marginRate or marginField, not both'
        : 'give marginRate (a share 0..1 of the amount) or marginField (the CRM field holding the margin)',
    });
  }
}

export const amocrmSettingsSchema = z
  .strictObject({
    currency,
    source,
    marginRate,
    marginField: z
      .int()
      .positive()
      .optional()
      .meta({ description: 'Id of the amoCRM custom field holding the margin, in major units.' }),
    wonStatusIds: z
      .array(z.int().positive())
      .min(1)
      .max(100)
      .default([142])
      .meta({ description: 'Statuses that mean won; 142 is amoCRM\'s "successfully realised".' }),
    pipelineIds,
    syncIntervalMinutes,
    leads: z.boolean().optional().meta({
      description:
        'Count each lead created in a counted pipeline as a `lead` event of its responsible user, dated at its creation (for conversion). Default off.',
    }),
    newClients,
    productRows,
    baseUrl: z
      .url({
        protocol: /^https?$/,
        error: 'must be the account address, https://<subdomain>.amocrm.ru or .kommo.com',
      })
      .transform((url) => new URL(url).origin)
      .optional()
      .meta({
        description:
          'The account address, https://<subdomain>.amocrm.ru (or .amocrm.com, .kommo.com), to read leads through API v4.',
      }),
    accessToken: z
      .string()
      .trim()
      .min(20, { error: 'must be the long-lived token of an amoCRM integration' })
      .max(4_000)
      .optional()
      .meta({
        description:
          'Long-lived token of an external amoCRM integration; stored encrypted, never shown again.',
      }),
    accountId: z.int().positive().optional().meta({
      description:
        'The amoCRM account webhooks must come from (`account[id]`); learned from the first webhook when not given.',
    }),
  })
  .superRefine(oneMargin)
  .superRefine((value, ctx) => {
    // One without the other cannot call amoCRM.
    if ((value.baseUrl === undefined) !== (value.accessToken === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [value.baseUrl === undefined ? 'baseUrl' : 'accessToken'],
        params: { code: 'required' },
        message: 'baseUrl and accessToken are given together',
      });
    }
    // Clients and product rows are not in amoCRM's webhooks: only the API can read them.
    for (const field of ['newClients', 'productRows'] as const) {
      const on =
        field === 'newClients' ? value.newClients === true : (value.productRows ?? 'off') !== 'off';
      if (on && value.baseUrl === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          params: { code: 'requiresApi' },
          message: `${field} reads the leads through amoCRM's API: give baseUrl and accessToken too`,
        });
      }
    }
  });
export type AmocrmSettings = z.output<typeof amocrmSettingsSchema>;
/** amoCRM's settings as kept in the `settings` column: the token lives encrypted apart. */
export type StoredAmocrmSettings = Omit<AmocrmSettings, 'accessToken'>;

/** amoCRM's own hosts; any other needs PODIUM_ALLOW_PRIVATE_CRM (a local or test account). */
export const AMOCRM_HOST = /^([a-z0-9][a-z0-9-]{0,62})\.(amocrm\.ru|amocrm\.com|kommo\.com)$/;

/** The account's subdomain read from its address, or null for another host. */
export function amocrmSubdomainOf(baseUrl: string | undefined): string | null {
  if (baseUrl === undefined) return null;
  return AMOCRM_HOST.exec(new URL(baseUrl).hostname)?.[1] ?? null;
}

export const bitrix24SettingsSchema = z
  .strictObject({
    currency,
    source,
    marginRate,
    marginField: z
      .string()
      .regex(/^UF_CRM_[A-Z0-9_]+$/, { error: 'must be a deal user field such as UF_CRM_MARGIN' })
      .optional()
      .meta({ description: 'Deal user field holding the margin (number or "1234.50|RUB").' }),
    pipelineIds,
    applicationToken: z
      .string()
      .trim()
      .min(8, { error: 'must be the application token of the outgoing webhook' })
      .max(200)
      .meta({ description: "The outgoing webhook's application token; stored hashed." }),
    portalWebhookUrl: z
      .url({
        protocol: /^https?$/,
        error: 'must be the inbound webhook URL, https://<portal>/rest/<user>/<code>/',
      })
      .meta({
        description:
          'Inbound webhook URL with the crm scope, to read deals; stored for calling out, shown masked.',
      }),
    timeoutMs: z
      .int()
      .min(1_000)
      .max(60_000)
      .default(10_000)
      .meta({ description: 'How long one call to the portal may take before it is retried.' }),
    syncIntervalMinutes,
    leads: z.enum(['off', 'deals', 'leads']).optional().meta({
      description:
        "Count leads as `lead` events of their responsible user, dated at their creation (for conversion): `deals` every deal created in a counted category, `leads` every entry of the portal's Leads (crm.lead); `off` (default) none. Never both: a lead converted into a deal would count twice.",
    }),
    newClients,
    productRows,
    timeZone: z
      .string()
      .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Moscow' })
      .default('Europe/Moscow')
      .meta({
        description:
          "The portal's time zone: a deal dated only by its CLOSEDATE counts on that calendar day there.",
      }),
    domain: portalDomain.optional().meta({
      description:
        'The portal (`auth[domain]`) whose calls are taken; learned from the first call when not given.',
    }),
    memberId: portalMemberId.optional().meta({
      description:
        'The portal id (`auth[member_id]`) whose calls are taken; learned from the first call when not given.',
    }),
  })
  .superRefine(oneMargin);
export type Bitrix24Settings = z.output<typeof bitrix24SettingsSchema>;

/** The 1C configuration families Podium reads: УТ 11 (also 1С:ERP and КА 2) and БП 3.0. */
export const onecConfigurations = ['ut11', 'bp30'] as const;

/**
 * 1C:Enterprise read through its standard OData interface (`…/odata/standard.odata`) with HTTP
 * Basic credentials of a 1C user. The margin is a share of the document's amount (`marginSource`
 * `rate` with `marginRate`) or, for УТ 11/ERP, read from the accumulation register
 * ВыручкаИСебестоимостьПродаж (`register`).
 */
export const onecSettingsSchema = z
  .strictObject({
    currency,
    source,
    syncIntervalMinutes,
    baseUrl: z
      .url({
        protocol: /^https?$/,
        error: 'must be the OData address, https://<server>/<base>/odata/standard.odata',
      })
      .transform((url) => url.replace(/\/+$/, ''))
      .refine((url) => new URL(url).pathname.endsWith('/odata/standard.odata'), {
        error: 'must end with /odata/standard.odata (the published standard OData interface)',
      })
      .meta({
        description:
          'The published standard OData interface of the infobase, e.g. https://1c.example/trade/odata/standard.odata.',
      }),
    username: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ description: 'The 1C user Podium reads as (HTTP Basic).' }),
    password: z
      .string()
      .max(1_000)
      .meta({ description: "The 1C user's password; stored encrypted, never shown again." }),
    configuration: z.enum(onecConfigurations).meta({
      description:
        'The configuration family: `ut11` (УТ 11, also 1С:ERP and КА 2) or `bp30` (Бухгалтерия 3.0).',
    }),
    marginSource: z.enum(['rate', 'register']).default('rate').meta({
      description:
        '`rate`: the margin is marginRate of the amount; `register` (ut11 only): revenue less cost from the register ВыручкаИСебестоимостьПродаж.',
    }),
    marginRate,
    timeZone: z
      .string()
      .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Moscow' })
      .optional()
      .meta({
        description:
          "The infobase's time zone: 1C dates carry none (default: the server's PODIUM_TIME_ZONE).",
      }),
    pageSize: z
      .int()
      .min(10)
      .max(1_000)
      .default(100)
      .meta({ description: 'Documents read per request ($top).' }),
    timeoutMs: z
      .int()
      .min(1_000)
      .max(120_000)
      .default(30_000)
      .meta({ description: 'How long one request to 1C may take before it is retried.' }),
    newClients: newClients.meta({
      description:
        "Read each posted document's counterparty (Контрагент_Key) as the sale's clientId, and mark the sale isNewClient when 1C holds no earlier posted sale document of it (and Podium's history of the integration agrees). Default off.",
    }),
    productRows: productRows.meta({
      description:
        "Read a document's goods and services rows (Товары, Услуги) as the sale's product (Catalog_Номенклатура's name) and quantity: `perRow` one sale per row, `main` one sale of the document's amount with its largest row's product and quantity; `off` (default) none.",
    }),
  })
  .superRefine((value, ctx) => {
    if (value.marginSource === 'register' && value.configuration !== 'ut11') {
      ctx.addIssue({
        code: 'custom',
        path: ['marginSource'],
        params: { code: 'unsupported' },
        message: 'the register ВыручкаИСебестоимостьПродаж exists in УТ 11/ERP only: use rate',
      });
    }
    if (value.marginSource === 'rate' && value.marginRate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['marginRate'],
        params: { code: 'required' },
        message: 'give marginRate (a share 0..1 of the amount) or marginSource register',
      });
    }
    if (value.marginSource === 'register' && value.marginRate !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['marginRate'],
        params: { code: 'exclusive' },
        message: 'give marginRate or marginSource register, not both',
      });
    }
  });
export type OnecSettings = z.output<typeof onecSettingsSchema>;
/** 1C's settings as kept in the `settings` column: the password lives encrypted apart. */
export type StoredOnecSettings = Omit<OnecSettings, 'password'>;

/** The settings kept in the `settings` column: everything but the Bitrix24 credentials. */
export type StoredCrmSettings =
  | StoredAmocrmSettings
  | Omit<Bitrix24Settings, 'applicationToken' | 'portalWebhookUrl'>
  | StoredOnecSettings;

/** `https://acme.bitrix24.ru/rest/1/abc123/` → `https://acme.bitrix24.ru/rest/1/••••••/`. */
export function maskPortalUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const parts = parsed.pathname.split('/').filter(Boolean);
    const masked = parts.map((part, index) => (index === parts.length - 1 ? '••••••' : part));
    return `${parsed.origin}/${masked.join('/')}/`;
  } catch {
    return '••••••';
  }
}
